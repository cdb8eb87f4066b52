import { jestProject } from '../../jest.preset.js';

export default jestProject('money', import.meta.dirname);
