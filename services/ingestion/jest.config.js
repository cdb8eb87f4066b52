import { jestProject } from '../../jest.preset.js';

export default jestProject('ingestion', import.meta.dirname);
