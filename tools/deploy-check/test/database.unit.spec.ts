import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import { findObject } from './support/cluster.js';
import { databaseRoleProblems as composeRoleProblems, serviceProblems as composeServiceProblems, type ComposeFile } from './support/compose-contract.js';
import { repoRoot } from './support/contract.js';
import { parseDockerfile } from './support/dockerfile.js';
import { configurationProblems, serviceProblems } from './support/k8s-contract.js';
import { databaseRoleProblems, postgresHaProblems, productionKeyProblems, rolesScriptKey, shippedApiKeyProblems } from './support/k8s-database.js';
import { connectionDemand, networkProblems } from './support/k8s-infrastructure.js';
import { loadManifestDirectory, validateManifest, yamlFilesUnder, type Manifest } from './support/kubernetes.js';
import { parseYamlDocuments, readYamlFile } from './support/yaml.js';

const k8sDir = join(repoRoot, 'k8s');
const loaded = loadManifestDirectory(k8sDir);
const fresh = (): Manifest[] => structuredClone(loaded.manifests.map(({ object }) => object));
const rolesScript = readFileSync(join(repoRoot, 'deploy/postgres', rolesScriptKey), 'utf8');
const haFiles = yamlFilesUnder(k8sDir, { alternatives: true }).filter((file) => file.startsWith('postgres-ha/'));
const haManifests = haFiles.flatMap((file) => parseYamlDocuments(readFileSync(join(k8sDir, file), 'utf8'), file) as Manifest[]);
const compose = readYamlFile(join(repoRoot, 'docker-compose.yml')) as ComposeFile;
const freshCompose = (): ComposeFile & { services: NonNullable<ComposeFile['services']> } => structuredClone(compose) as never;

describe('API keys: no working key is shipped', () => {
  it('k8s/secrets.yaml ships a placeholder that every service refuses in production, and says how to make a key', () => {
    expect(shippedApiKeyProblems(fresh())).toEqual([]);
    expect(readFileSync(join(k8sDir, 'secrets.yaml'), 'utf8')).toMatch(/openssl rand -hex 32/);
  });

  it('notices a working key committed to the Secret', () => {
    const manifests = fresh();
    const secret = findObject<ISecret>(manifests, 'Secret', 'agentledger-secrets');
    if (!secret?.stringData) throw new Error('fixture changed');
    secret.stringData['AGENTLEDGER_API_KEYS'] = '3f9c1d27b8e4605a1c9e2d7b3f80a4c5=acme:admin';
    expect(shippedApiKeyProblems(manifests)).toEqual(['Secret agentledger-secrets ships AGENTLEDGER_API_KEYS that a production service accepts: ship a placeholder']);
  });

  it.each(['CHANGE_ME=acme:admin', 'changeme=acme:admin', 'example-key-0000000000000000=acme:admin', 'x=acme:admin', 'key1=tenantA:admin,key2=tenantA:viewer'])('production refuses %s', (list) => {
    expect(productionKeyProblems(list)).not.toEqual([]);
  });

  it('docker-compose.yml writes no key: it takes AGENTLEDGER_API_KEYS from the environment, or stops', () => {
    for (const name of ['gateway', 'ingestion'] as const) expect(composeServiceProblems(compose, name)).toEqual([]);
    const broken = freshCompose();
    (broken.services['gateway']!.environment as Record<string, string>)['AGENTLEDGER_API_KEYS'] = 'dev-admin-key=acme:admin';
    expect(composeServiceProblems(broken, 'gateway')).toEqual([expect.stringMatching(/^gateway: AGENTLEDGER_API_KEYS is written in the file/)]);
  });
});

describe('NODE_ENV=production', () => {
  it('is set in the shared ConfigMap; a ConfigMap without it is noticed', () => {
    expect(configurationProblems(fresh())).toEqual([]);
    const manifests = fresh();
    delete (findObject(manifests, 'ConfigMap', 'agentledger-config') as { data: Record<string, string> }).data['NODE_ENV'];
    expect(configurationProblems(manifests)).toContain('ConfigMap agentledger-config sets NODE_ENV to nothing, expected production');
    expect(serviceProblems(manifests, 'gateway')).toContain('gateway: environment lacks NODE_ENV');
  });

  it('is set for every service in docker-compose.yml; another value is noticed', () => {
    const broken = freshCompose();
    (broken.services['pricing']!.environment as Record<string, string>)['NODE_ENV'] = 'development';
    expect(composeServiceProblems(broken, 'pricing')).toEqual(['pricing: NODE_ENV is development, expected production']);
  });

  it('is the Dockerfile runtime default', () => {
    const runtime = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')).stages.at(-1);
    expect(runtime?.instructions.some((instruction) => instruction.keyword === 'ENV' && /\bNODE_ENV=production\b/.test(instruction.args))).toBe(true);
  });
});

describe('one database role per service', () => {
  it('k8s: each service logs in as its own role from its own Secret, created by the roles Job from the same Secrets', () => {
    expect(databaseRoleProblems(fresh(), rolesScript)).toEqual([]);
  });

  it('k8s: the Job runs the very script of deploy/postgres, and is a valid Job', () => {
    const job = findObject<IJob>(fresh(), 'Job', 'postgres-service-roles');
    expect(() => validateManifest(job as Manifest)).not.toThrow();
    expect(job?.spec?.template.spec?.containers[0]?.command).toEqual(['sh', `/scripts/${rolesScriptKey}`]);
  });

  it('notices a shared role, a Secret shared by two services, a script out of date, and the superuser handed to a service', () => {
    const manifests = fresh();
    const pricing = findObject<ISecret>(manifests, 'Secret', 'pricing-database');
    const deployment = findObject(manifests, 'Deployment', 'budgeting') as Manifest & { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string } } }> }> } } } };
    const config = findObject(manifests, 'ConfigMap', 'postgres-service-roles') as { data: Record<string, string> };
    if (!pricing?.stringData) throw new Error('fixture changed');
    pricing.stringData['DATABASE_URL'] = 'postgres://agentledger:x@postgres:5432/agentledger';
    const url = deployment.spec.template.spec.containers[0]!.env.find((variable) => variable.name === 'DATABASE_URL')!;
    url.valueFrom!.secretKeyRef!.name = 'inventory-database';
    deployment.spec.template.spec.containers[0]!.env.push({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'postgres-superuser', key: 'password' } } as never });
    config.data[rolesScriptKey] += '\n# edited here only\n';
    expect(databaseRoleProblems(manifests, rolesScript)).toEqual([
      'Secret pricing-database: DATABASE_URL logs in as agentledger, expected pricing',
      `ConfigMap postgres-service-roles: ${rolesScriptKey} differs from deploy/postgres/${rolesScriptKey}`,
      'budgeting: receives the Postgres superuser Secret',
    ]);
    expect(serviceProblems(manifests, 'budgeting')).toEqual(
      expect.arrayContaining(['budgeting: DATABASE_URL comes from inventory-database, expected its own Secret budgeting-database', 'budgeting: DATABASE_URL logs in as inventory, expected its own role budgeting']),
    );
    expect(serviceProblems(manifests, 'pricing')).toContain('pricing: DATABASE_URL logs in as agentledger, expected its own role pricing');
  });

  it('k8s: the gateway has no database: no DATABASE_URL, no route to Postgres', () => {
    expect(serviceProblems(fresh(), 'gateway')).toEqual([]);
    expect(networkProblems(fresh())).toEqual([]);
    const manifests = fresh();
    const policy = findObject(manifests, 'NetworkPolicy', 'gateway') as { spec: { egress: unknown[] } };
    policy.spec.egress.push({ to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'postgres' } } }], ports: [{ protocol: 'TCP', port: 5432 }] });
    expect(networkProblems(manifests)).toEqual(['gateway has no database, yet can reach Postgres on 5432']);
  });

  it('compose: postgres runs the same script on first start with each service’s own URL', () => {
    expect(composeRoleProblems(compose)).toEqual([]);
    const broken = freshCompose();
    (broken.services['attribution']!.environment as Record<string, string>)['DATABASE_URL'] = 'postgres://agentledger:agentledger@postgres:5432/agentledger';
    broken.services['postgres']!.volumes = ['postgres-data:/var/lib/postgresql/data'];
    expect(composeRoleProblems(broken)).toEqual([
      'postgres: does not mount ./deploy/postgres/10-service-roles.sh:/docker-entrypoint-initdb.d/10-service-roles.sh:ro',
      "postgres: ATTRIBUTION_DATABASE_URL is postgres://attribution:attribution@postgres:5432/agentledger, not attribution's DATABASE_URL",
    ]);
    expect(composeServiceProblems(broken, 'attribution')).toContain('attribution: DATABASE_URL is postgres://agentledger:agentledger@postgres:5432/agentledger, expected postgres://attribution:attribution@postgres:5432/agentledger');
  });
});

describe('Postgres HA: the CloudNativePG alternative (k8s/postgres-ha/)', () => {
  const needed = connectionDemand(fresh()).reduce((sum, { connections }) => sum + connections, 0);

  it('is a 3-instance cluster on distinct nodes with a synchronous standby, the Service postgres on its primary, room for every connection', () => {
    expect(haFiles).toEqual(['postgres-ha/cluster.yaml']);
    expect(postgresHaProblems(haManifests, needed)).toEqual([]);
  });

  it('its standard objects are valid Kubernetes, in the namespace', () => {
    for (const object of haManifests.filter((manifest) => manifest.kind !== 'Cluster')) {
      expect(() => validateManifest(object)).not.toThrow();
      expect(object.metadata.namespace).toBe('agentledger');
    }
  });

  it('notices a single instance, no synchronous standby, instances allowed on one node and a Service on every instance', () => {
    const manifests = structuredClone(haManifests);
    const spec = manifests.find((object) => object.kind === 'Cluster')!['spec'] as Record<string, unknown>;
    spec['instances'] = 1;
    delete spec['minSyncReplicas'];
    spec['affinity'] = { enablePodAntiAffinity: true, podAntiAffinityType: 'preferred', topologyKey: 'kubernetes.io/hostname' };
    (findObject(manifests, 'Service', 'postgres') as { spec: { selector: Record<string, string> } }).spec.selector = { 'cnpg.io/cluster': 'postgres' };
    expect(postgresHaProblems(manifests, needed)).toEqual([
      'postgres-ha: 1 instances, HA needs at least 3',
      'postgres-ha: no synchronous standby (1 ≤ minSyncReplicas ≤ maxSyncReplicas < instances): a failover may lose committed transactions',
      'postgres-ha: instances are not required to run on distinct nodes',
      'postgres-ha: no Service postgres on 5432 selecting the primary',
    ]);
  });

  it('is documented, and stays out of the base kustomization', () => {
    expect(loaded.kustomization.resources).not.toContain('postgres-ha/cluster.yaml');
    expect(readFileSync(join(repoRoot, 'docs/deployment.md'), 'utf8')).toMatch(/postgres-ha\/cluster\.yaml/);
  });
});
