import { jestProject } from '../../jest.preset.js';

export default jestProject('dashboard', import.meta.dirname);
