import { jestProject } from '../../jest.preset.js';

export default jestProject('deploy-check', import.meta.dirname);
