import { jestProject } from '../../jest.preset.js';

export default jestProject('simulator', import.meta.dirname);
