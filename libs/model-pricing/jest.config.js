import { jestProject } from '../../jest.preset.js';

export default jestProject('model-pricing', import.meta.dirname);
