// Every project's tests in one run (`npm test`); each project also runs alone (`nx test <name>`).
import { readdirSync, existsSync } from 'node:fs';

const groups = ['apps', 'libs', 'services', 'tools'];
const projects = groups.flatMap((group) =>
  existsSync(group)
    ? readdirSync(group)
        .map((name) => `<rootDir>/${group}/${name}/jest.config.js`)
        .filter((path) => existsSync(path.replace('<rootDir>/', '')))
    : [],
);

export default { projects, testTimeout: 120_000 };
