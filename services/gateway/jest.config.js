import { jestProject } from '../../jest.preset.js';

export default jestProject('gateway', import.meta.dirname);
