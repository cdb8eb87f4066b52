import { jestProject } from '../../jest.preset.js';

export default jestProject('projections', import.meta.dirname);
