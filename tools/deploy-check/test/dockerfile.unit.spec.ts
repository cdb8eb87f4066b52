import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './support/contract.js';
import { instructions, parseDockerfile, serviceImageProblems } from './support/dockerfile.js';
import { SERVICE_NODE_OPTIONS, SERVICE_PROCESS_ENV } from '@agentledger/service-kit/process-settings';

const dockerfileText = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

describe('Dockerfile', () => {
  it('builds every service on node:20-bookworm-slim: npm ci, npm run build, non-root, runs services/$SERVICE/dist/main.js', () => {
    expect(serviceImageProblems(parseDockerfile(dockerfileText))).toEqual([]);
  });

  it("starts the service with the services' process settings, as npm start does", () => {
    const runtime = parseDockerfile(dockerfileText).stages.at(-1)!;
    const variables = new Map(
      instructions(runtime, 'ENV').flatMap((instruction) => [...instruction.args.matchAll(/([A-Z_]+)=(\S+)/g)].map(([, name, value]) => [name, value] as const)),
    );
    expect(variables.get('NODE_OPTIONS')?.split(' ')).toEqual([...SERVICE_NODE_OPTIONS]);
    for (const [variable, value] of Object.entries(SERVICE_PROCESS_ENV)) expect(variables.get(variable)).toBe(value);
  });

  it('rejects an unknown SERVICE before copying anything', () => {
    const runtime = parseDockerfile(dockerfileText).stages.at(-1);
    const guard = runtime?.instructions.findIndex((instruction) => instruction.keyword === 'RUN' && instruction.args.includes('${SERVICE}'));
    const firstCopy = runtime?.instructions.findIndex((instruction) => instruction.keyword === 'COPY');
    expect(guard).toBeGreaterThanOrEqual(0);
    expect(guard).toBeLessThan(firstCopy ?? -1);
  });
});

describe('.dockerignore', () => {
  it('keeps local installs and build outputs out of the build context', () => {
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });

  it('keeps everything the build needs', () => {
    const needed = ['package.json', 'package-lock.json', 'libs', 'services', 'tools', 'scripts', 'proto', 'tsconfig.base.json', 'nx.json'];
    const excludedNeeded = needed.filter((path) => ignored.some((pattern) => pattern === path || pattern === `${path}/` || pattern === '*'));
    expect(excludedNeeded).toEqual([]);
  });
});
