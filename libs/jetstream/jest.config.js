import { jestProject } from '../../jest.preset.js';

export default jestProject('jetstream', import.meta.dirname);
