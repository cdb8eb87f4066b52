import { jestProject } from '../../jest.preset.js';

export default jestProject('pricing', import.meta.dirname);
