import { jestProject } from '../../jest.preset.js';

export default jestProject('event-sourcing', import.meta.dirname);
