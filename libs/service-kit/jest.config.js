import { jestProject } from '../../jest.preset.js';

export default jestProject('service-kit', import.meta.dirname);
