import { jestProject } from '../../jest.preset.js';

export default jestProject('nats-auth', import.meta.dirname);
