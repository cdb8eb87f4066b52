import { jestProject } from '../../jest.preset.js';

export default jestProject('attribution', import.meta.dirname);
