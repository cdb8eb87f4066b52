import { jestProject } from '../../jest.preset.js';

export default jestProject('arch-check', import.meta.dirname);
