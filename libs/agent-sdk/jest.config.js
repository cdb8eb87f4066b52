import { jestProject } from '../../jest.preset.js';

export default jestProject('agent-sdk', import.meta.dirname);
