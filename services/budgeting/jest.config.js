import { jestProject } from '../../jest.preset.js';

export default jestProject('budgeting', import.meta.dirname);
