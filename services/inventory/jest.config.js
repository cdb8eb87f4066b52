import { jestProject } from '../../jest.preset.js';

export default jestProject('inventory', import.meta.dirname);
