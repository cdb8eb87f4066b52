// The checks must be able to fail: each test breaks a valid description in one way and
// expects that exact breakage to be reported.
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { findObject } from './support/cluster.js';
import { createComposeSchemaValidator } from './support/compose-schema.js';
import { infrastructureProblems, publishedPortProblems, serviceProblems as composeServiceProblems, type ComposeFile } from './support/compose-contract.js';
import { repoRoot } from './support/contract.js';
import { parseDockerfile, serviceImageProblems } from './support/dockerfile.js';
import { configurationProblems, kustomizationProblems, serviceProblems } from './support/k8s-contract.js';
import { connectionBudgetProblems, natsProblems, networkProblems, parseNatsConfig } from './support/k8s-infrastructure.js';
import { loadManifestDirectory, validateManifest, type Manifest } from './support/kubernetes.js';
import { parseYamlDocuments, parseYamlText, readYamlFile } from './support/yaml.js';

const validDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'pricing', namespace: 'agentledger' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'pricing' } },
    template: {
      metadata: { labels: { 'app.kubernetes.io/name': 'pricing' } },
      spec: { containers: [{ name: 'pricing', image: 'ghcr.io/agentledger/pricing:0.1.0', ports: [{ containerPort: 4101 }] }] },
    },
  },
};

describe('Kubernetes schema validation', () => {
  it('accepts a valid Deployment', () => {
    expect(() => validateManifest(structuredClone(validDeployment))).not.toThrow();
  });

  it('rejects a Deployment with replicas: "three"', () => {
    const broken = { ...structuredClone(validDeployment), spec: { ...validDeployment.spec, replicas: 'three' } };
    expect(() => validateManifest(broken)).toThrow(/replicas must be integer/);
  });

  it('rejects the same mistake written in YAML', () => {
    const [broken] = parseYamlDocuments('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  replicas: three\n  selector: {}\n  template: {}\n');
    expect(() => validateManifest(broken)).toThrow(/replicas/);
  });

  it('rejects a Deployment without a selector, and a container port given as a string', () => {
    const { selector: _selector, ...noSelector } = structuredClone(validDeployment).spec;
    expect(() => validateManifest({ ...validDeployment, spec: noSelector })).toThrow(/selector/);
    const stringPort = structuredClone(validDeployment);
    (stringPort.spec.template.spec.containers[0].ports[0] as { containerPort: unknown }).containerPort = '4101';
    expect(() => validateManifest(stringPort)).toThrow(/containerPort must be integer/);
  });

  it('rejects an HPA written in the wrong API version, and kinds it has no model for', () => {
    expect(() =>
      validateManifest({ apiVersion: 'autoscaling/v2beta1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' }, spec: {} }),
    ).toThrow(/unknown kind/);
    expect(() => validateManifest({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })).toThrow(/unknown kind v1\/Pod/);
  });

  it('rejects a Kustomization with an unsupported field or a bad resource list', () => {
    const base = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['a.yaml'] };
    expect(() => validateManifest(base)).not.toThrow();
    expect(() => validateManifest({ ...base, bases: ['../x'] })).toThrow(/unsupported field bases/);
    expect(() => validateManifest({ ...base, resources: ['a.yaml', 'a.yaml'] })).toThrow(/twice/);
    expect(() => validateManifest({ ...base, resources: [42] })).toThrow(/resources/);
  });

  it('rejects YAML with duplicate keys', () => {
    expect(() => parseYamlDocuments('kind: Service\nkind: Deployment\n')).toThrow(/unique/);
  });
});

describe('Kubernetes contract checks on a broken copy of k8s/', () => {
  const loaded = loadManifestDirectory(join(repoRoot, 'k8s'));
  const fresh = (): Manifest[] => structuredClone(loaded.manifests.map(({ object }) => object));

  it('notices a service without its HorizontalPodAutoscaler', () => {
    const manifests = fresh().filter((object) => !(object.kind === 'HorizontalPodAutoscaler' && object.metadata.name === 'ingestion'));
    expect(serviceProblems(manifests, 'ingestion')).toContain('ingestion: no HorizontalPodAutoscaler');
  });

  it('notices a readiness probe on the wrong path and a missing memory limit', () => {
    const manifests = fresh();
    const container = findObject<IDeployment>(manifests, 'Deployment', 'budgeting')?.spec?.template.spec?.containers[0];
    if (!container?.readinessProbe?.httpGet || !container.resources?.limits) throw new Error('fixture changed');
    container.readinessProbe.httpGet.path = '/healthz';
    delete container.resources.limits['memory'];
    expect(serviceProblems(manifests, 'budgeting')).toEqual(
      expect.arrayContaining([expect.stringMatching(/readinessProbe should GET \/readyz/), 'budgeting: no valid memory limit']),
    );
  });

  it('notices a Secret key that a Deployment refers to but nobody defines', () => {
    const manifests = fresh();
    const env = findObject<IDeployment>(manifests, 'Deployment', 'gateway')?.spec?.template.spec?.containers[0].env ?? [];
    const apiKeys = env.find((variable) => variable.name === 'AGENTLEDGER_API_KEYS');
    if (!apiKeys?.valueFrom?.secretKeyRef) throw new Error('fixture changed');
    apiKeys.valueFrom.secretKeyRef.key = 'API_KEYS';
    expect(serviceProblems(manifests, 'gateway')).toEqual(
      expect.arrayContaining([expect.stringMatching(/AGENTLEDGER_API_KEYS refers to Secret agentledger-secrets key API_KEYS/)]),
    );
  });

  it('notices a NATS cluster of 2 nodes and a configuration without JetStream', () => {
    const manifests = fresh();
    const nats = findObject<IStatefulSet>(manifests, 'StatefulSet', 'nats');
    const config = findObject<IConfigMap>(manifests, 'ConfigMap', 'nats-config');
    if (!nats?.spec || !config?.data) throw new Error('fixture changed');
    nats.spec.replicas = 2;
    config.data['nats.conf'] = config.data['nats.conf'].replace(/jetstream\s*\{[^}]*\}/, '');
    expect(natsProblems(manifests)).toEqual(
      expect.arrayContaining(['nats: 2 replicas, a JetStream cluster here has 3', 'nats: JetStream is not enabled in the configuration']),
    );
  });

  it('reads JetStream, server name and routes from a nats-server configuration', () => {
    const config = parseNatsConfig('server_name: $POD_NAME\njetstream {\n  store_dir: /data/js\n}\ncluster {\n  listen: 0.0.0.0:6222\n  routes: [\n    nats://a.b:6222\n  ]\n}\n');
    expect(config).toEqual({ serverName: '$POD_NAME', jetStream: { storeDir: '/data/js' }, clusterPort: 6222, routes: [{ host: 'a.b', port: 6222 }] });
    expect(parseNatsConfig('# jetstream {}\nport: 4222\n').jetStream).toBeUndefined();
  });

  it('notices single-replica streams on the 3-node cluster', () => {
    const manifests = fresh();
    const config = findObject<IConfigMap>(manifests, 'ConfigMap', 'agentledger-config');
    if (!config?.data) throw new Error('fixture changed');
    delete config.data['STREAM_REPLICAS'];
    expect(configurationProblems(manifests)).toEqual(['STREAM_REPLICAS is unset (1), expected 3 for the 3-node NATS cluster']);
  });

  it('notices more database connections than Postgres accepts', () => {
    const manifests = fresh();
    const config = findObject<IConfigMap>(manifests, 'ConfigMap', 'agentledger-config');
    if (!config?.data) throw new Error('fixture changed');
    delete config.data['DATABASE_POOL_SIZE'];
    // Unset, the pool is 10: every pod opens 10 + 2 (queries), budgeting's checks 10 more, inventory's agent list 2 more.
    expect(connectionBudgetProblems(manifests)).toEqual([
      expect.stringMatching(/^up to 480 database connections \(.*budgeting 132.*ingestion 120, inventory 84, pricing 72\) but Postgres accepts 297$/),
    ]);
  });

  it('notices an internal service opened to the world, and a service cut off from NATS', () => {
    const manifests = fresh();
    const pricing = findObject<INetworkPolicy>(manifests, 'NetworkPolicy', 'pricing');
    const budgeting = findObject<INetworkPolicy>(manifests, 'NetworkPolicy', 'budgeting');
    if (!pricing?.spec?.ingress || !budgeting?.spec?.egress) throw new Error('fixture changed');
    delete pricing.spec.ingress[0].from;
    budgeting.spec.egress = budgeting.spec.egress.filter((rule) => !rule.ports?.some((port) => port.port === 4222));
    expect(networkProblems(manifests)).toEqual(
      expect.arrayContaining([
        'budgeting cannot reach NATS on 4222',
        'accepting ingress from outside: gateway, ingestion, pricing; expected only gateway, ingestion',
      ]),
    );
  });

  it('notices a missing default deny', () => {
    const manifests = fresh().filter((object) => object.metadata.name !== 'default-deny-all');
    expect(networkProblems(manifests)).toContain('no default-deny NetworkPolicy (every pod, ingress and egress, no rules)');
  });

  it('notices a manifest file missing from kustomization.yaml, and a listed file that does not exist', () => {
    const kustomization = { ...loaded.kustomization, resources: [...loaded.kustomization.resources.filter((r) => r !== 'nats.yaml'), 'ghost.yaml'] };
    expect(kustomizationProblems(loaded.files, kustomization)).toEqual([
      'kustomization.yaml lists ghost.yaml, which does not exist',
      'nats.yaml is not listed in kustomization.yaml',
    ]);
  });
});

describe('Compose schema validation', () => {
  const schema = createComposeSchemaValidator();

  it('accepts a minimal valid file', () => {
    expect(schema.validate({ services: { web: { image: 'nginx', ports: ['127.0.0.1:8080:80/tcp'], stop_grace_period: '1m30s' } } })).toEqual([]);
  });

  it('rejects a misspelt key, an unknown depends_on condition and a service with neither image nor build', () => {
    expect(schema.validate({ services: { web: { image: 'nginx', enviroment: { A: '1' } } } })).not.toEqual([]);
    expect(
      schema.validate({ services: { a: { image: 'x' }, b: { image: 'x', depends_on: { a: { condition: 'service_ready' } } } } }),
    ).not.toEqual([]);
    expect(schema.validate({ services: { web: { environment: { A: '1' } } } })).toEqual([
      expect.stringMatching(/^services\.web: .*must have required property/),
      expect.stringMatching(/^services\.web: .*must have required property/),
      expect.stringMatching(/^services\.web: .*anyOf/),
    ]);
  });

  it('rejects malformed ports and durations', () => {
    expect(schema.validate({ services: { web: { image: 'x', ports: ['80a:80'] } } })).not.toEqual([]);
    expect(schema.validate({ services: { web: { image: 'x', stop_grace_period: '30 seconds' } } })).not.toEqual([]);
  });

  it('rejects an unresolved YAML merge written as a plain key', () => {
    const compose = { services: { web: { image: 'x', '<<': { restart: 'always' } } } };
    expect(schema.validate(compose)).not.toEqual([]);
    expect(parseYamlText('base: &b {restart: always}\nweb:\n  <<: *b\n')).toEqual({ base: { restart: 'always' }, web: { restart: 'always' } });
  });
});

describe('Compose contract checks on a broken copy of docker-compose.yml', () => {
  const real = readYamlFile(join(repoRoot, 'docker-compose.yml')) as ComposeFile;
  const fresh = (): ComposeFile & { services: NonNullable<ComposeFile['services']> } => structuredClone(real) as never;

  it('notices NATS gone, and the services still depending on it', () => {
    const compose = fresh();
    delete compose.services['nats'];
    expect(infrastructureProblems(compose)).toEqual(
      expect.arrayContaining(['service nats is missing', 'pricing: depends_on nats, which is not a service']),
    );
  });

  it('notices a wrong port variable, a missing DATABASE_SCHEMA and a dependency without a health condition', () => {
    const compose = fresh();
    const pricing = compose.services['pricing'];
    pricing.environment = { ...(pricing.environment as Record<string, string>), PRICING_PORT: '4100' };
    delete (pricing.environment as Record<string, string>)['DATABASE_SCHEMA'];
    pricing.depends_on = ['nats', 'postgres'];
    expect(composeServiceProblems(compose, 'pricing')).toEqual(
      expect.arrayContaining([
        'pricing: PRICING_PORT is 4100, expected 4101',
        'pricing: environment lacks DATABASE_SCHEMA',
        'pricing: does not wait for nats to be healthy (depends_on condition)',
      ]),
    );
  });

  it('notices Postgres published to the host and the gateway not published', () => {
    const compose = fresh();
    compose.services['postgres'].ports = ['5432:5432'];
    delete compose.services['gateway'].ports;
    expect(publishedPortProblems(compose)).toEqual([
      'host port 4000 should publish gateway:4000, publishes nothing',
      'host port 5432 publishes postgres:5432, which should stay internal',
    ]);
  });
});

describe('Dockerfile checks', () => {
  it('notice a root runtime, a foreign base image and a build without npm ci', () => {
    const dockerfile = parseDockerfile(
      [
        'FROM node:22 AS build',
        'WORKDIR /app',
        'COPY . .',
        'RUN npm install && \\',
        '    npm run build',
        'FROM node:20-bookworm-slim',
        'ARG SERVICE',
        'COPY --from=build /app/services/${SERVICE} ./services/${SERVICE}',
        'CMD ["node", "services/main.js"]',
      ].join('\n'),
    );
    expect(serviceImageProblems(dockerfile)).toEqual([
      'stage build starts from node:22, expected node:20-bookworm-slim',
      '`npm run build` runs without a prior `npm ci`',
      'the runtime stage runs as root (no USER)',
      'the image does not start node services/$SERVICE/dist/main.js (["node", "services/main.js"])',
    ]);
  });
});

describe('YAML reading', () => {
  it('reads Kubernetes manifests as YAML 1.1, like kubectl: an unquoted `on` is a boolean and fails as an env value', () => {
    const [configMap] = parseYamlDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  FEATURE: on\n');
    expect(configMap).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { FEATURE: true } });
    expect(() => validateManifest(configMap)).toThrow(/data\/FEATURE must be string/);
  });
});
