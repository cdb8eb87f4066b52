import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createComposeSchemaValidator } from './support/compose-schema.js';
import {
  infrastructureProblems,
  publishedPortProblems,
  serviceProblems,
  type ComposeFile,
} from './support/compose-contract.js';
import { repoRoot, serviceNames } from './support/contract.js';
import { composeNatsAuthProblems } from './support/nats-auth-contract.js';
import { parseDockerfile } from './support/dockerfile.js';
import { readYamlFile } from './support/yaml.js';

const compose = readYamlFile(join(repoRoot, 'docker-compose.yml')) as ComposeFile;

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON schema', () => {
    expect(createComposeSchemaValidator().validate(compose)).toEqual([]);
  });

  it('declares exactly NATS, Postgres and the six services', () => {
    expect(Object.keys(compose.services ?? {}).sort()).toEqual(['nats', 'postgres', ...serviceNames].sort());
  });

  it('runs NATS 2.10 with JetStream on a volume and Postgres 16 with a healthcheck, and every dependency exists', () => {
    expect(infrastructureProblems(compose)).toEqual([]);
  });

  it.each(serviceNames)('%s: built with SERVICE, contract environment, waits for healthy NATS and Postgres, /healthz healthcheck', (name) => {
    expect(serviceProblems(compose, name)).toEqual([]);
  });

  it('publishes gateway 4000, ingestion 4318 and NATS 4222 to the host, and nothing else', () => {
    expect(publishedPortProblems(compose)).toEqual([]);
  });

  it('builds every service from the Dockerfile, which declares the SERVICE build argument', () => {
    for (const name of serviceNames) {
      const build = compose.services?.[name]?.build;
      expect(typeof build).toBe('object');
      const { context = '.', dockerfile = 'Dockerfile' } = build as { context?: string; dockerfile?: string };
      const path = join(repoRoot, context, dockerfile);
      expect(existsSync(path)).toBe(true);
      const runtime = parseDockerfile(readFileSync(path, 'utf8')).stages.at(-1);
      expect(runtime?.instructions.some((instruction) => instruction.keyword === 'ARG' && /^SERVICE\b/.test(instruction.args))).toBe(true);
    }
  });

  it('runs NATS with the generated users and gives every service its own NATS user from its env file', () => {
    expect(composeNatsAuthProblems(compose)).toEqual([]);
  });
});
