import { jestProject } from '../../jest.preset.js';

export default jestProject('start', import.meta.dirname);
