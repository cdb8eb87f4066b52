import { jestProject } from '../../jest.preset.js';

export default jestProject('observability', import.meta.dirname);
