// The NATS authorization checks must be able to fail: each test breaks k8s/ or compose one way.
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { findObject } from './support/cluster.js';
import type { ComposeFile } from './support/compose-contract.js';
import { repoRoot } from './support/contract.js';
import { loadManifestDirectory, type Manifest } from './support/kubernetes.js';
import { composeNatsAuthProblems, k8sNatsAuthProblems } from './support/nats-auth-contract.js';
import { readYamlFile } from './support/yaml.js';

describe('NATS authorization checks on a broken copy of k8s/', () => {
  const loaded = loadManifestDirectory(join(repoRoot, 'k8s'));
  const fresh = (): Manifest[] => structuredClone(loaded.manifests.map(({ object }) => object));

  it('notices a service without its NATS password, and one with a password written in the manifest', () => {
    const manifests = fresh();
    const pricing = findObject<IDeployment>(manifests, 'Deployment', 'pricing')!.spec!.template.spec!.containers[0]!;
    pricing.env = pricing.env!.filter((variable) => variable.name !== 'NATS_PASSWORD');
    const gateway = findObject<IDeployment>(manifests, 'Deployment', 'gateway')!.spec!.template.spec!.containers[0]!;
    gateway.env = gateway.env!.map((variable) => (variable.name === 'NATS_PASSWORD' ? { name: 'NATS_PASSWORD', value: 'hunter2' } : variable));
    expect(k8sNatsAuthProblems(manifests)).toEqual([
      'pricing: NATS_PASSWORD does not come from Secret nats-credentials (key pricing)',
      'gateway: NATS_PASSWORD does not come from Secret nats-credentials (key gateway)',
    ]);
  });

  it('notices a nats.conf without the generated users, or one admitting clients without credentials', () => {
    const manifests = fresh();
    const config = findObject<IConfigMap>(manifests, 'ConfigMap', 'nats-config')!;
    config.data!['nats.conf'] = config.data!['nats.conf']!.replace(/^\s*include .*$/m, 'no_auth_user: anyone');
    expect(k8sNatsAuthProblems(manifests)).toEqual([
      'nats-config: nats.conf does not include ../nats-auth/auth.conf (the generated users)',
      'nats-config: no_auth_user admits clients without credentials',
    ]);
  });
});

describe('NATS authorization checks on a broken copy of docker-compose.yml', () => {
  const real = readYamlFile(join(repoRoot, 'docker-compose.yml')) as ComposeFile;
  const fresh = (): ComposeFile & { services: NonNullable<ComposeFile['services']> } => structuredClone(real) as never;

  it('notices nats-server without the generated config and a service without its env file', () => {
    const compose = fresh();
    compose.services['nats']!.command = ['nats-server', '-js', '-sd', '/data'];
    delete (compose.services['budgeting'] as { env_file?: unknown }).env_file;
    expect(composeNatsAuthProblems(compose)).toEqual([
      'nats: not started with -c /etc/nats-auth/nats-server.conf',
      'budgeting: env_file lacks .nats-auth/budgeting.env (its NATS user)',
    ]);
  });
});
