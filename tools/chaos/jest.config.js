import { jestProject } from '../../jest.preset.js';

export default { ...jestProject('chaos', import.meta.dirname), testTimeout: 600_000 };
