// Shared Jest settings for every project: ESM, TypeScript through SWC with legacy decorators
// and decorator metadata (NestJS needs both), workspace libs resolved to their sources.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(fileURLToPath(import.meta.url));

export function jestProject(displayName, projectDir) {
  return {
    displayName,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/{src,test}/**/*.{unit,int,e2e}.spec.ts'],
    extensionsToTreatAsEsm: ['.ts'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: {
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
            target: 'es2022',
            keepClassNames: true,
          },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      '^@agentledger/([a-z0-9-]+)$': join(root, 'libs/$1/src/index.ts'),
      '^@agentledger/([a-z0-9-]+)/([a-z0-9-]+)$': join(root, 'libs/$1/src/$2.ts'),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    slowTestThreshold: 30,
  };
}
