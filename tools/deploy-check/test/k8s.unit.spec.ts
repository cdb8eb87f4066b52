import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { objectsOfKind } from './support/cluster.js';
import { repoRoot, serviceNames } from './support/contract.js';
import { configurationProblems, kustomizationProblems, namespaceProblems, serviceProblems, statefulSetProblems } from './support/k8s-contract.js';
import { connectionBudgetProblems, natsProblems, networkProblems, postgresProblems } from './support/k8s-infrastructure.js';
import { describeManifest, loadManifestDirectory, validateManifest } from './support/kubernetes.js';
import { k8sNatsAuthProblems } from './support/nats-auth-contract.js';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { allStreams, parseStreamMaxBytes } from '@agentledger/jetstream';
import { SERVICE_NODE_OPTIONS, SERVICE_PROCESS_ENV } from '@agentledger/service-kit/process-settings';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';

const k8sDir = join(repoRoot, 'k8s');
const { manifests: loaded, kustomization, files } = loadManifestDirectory(k8sDir);
const manifests = loaded.map(({ object }) => object);

describe('k8s/', () => {
  it.each(loaded.map((manifest) => [describeManifest(manifest), manifest.object] as const))('%s is valid against the Kubernetes schema', (_, object) => {
    expect(() => validateManifest(object)).not.toThrow();
  });

  it('lists every manifest file in kustomization.yaml, and only existing files', () => {
    expect(kustomizationProblems(files, kustomization)).toEqual([]);
  });

  it('puts every object in the agentledger namespace, once', () => {
    expect(namespaceProblems(manifests, kustomization)).toEqual([]);
  });

  it('shares NATS_URL, LOG_LEVEL and STREAM_REPLICAS=3 in a ConfigMap and DATABASE_URL and AGENTLEDGER_API_KEYS in the Secret', () => {
    expect(configurationProblems(manifests)).toEqual([]);
  });

  it.each(serviceNames)('%s: Deployment (probes, resources, non-root, env, metrics), Service, HPA, PDB, NetworkPolicy', (name) => {
    expect(serviceProblems(manifests, name)).toEqual([]);
  });

  it.each(serviceNames)("%s: keeps the services' process settings, which its NODE_OPTIONS replaces in the image", (name) => {
    const container = objectsOfKind<IDeployment>(manifests, 'Deployment').find((deployment) => deployment.metadata.name === name)?.spec?.template.spec?.containers[0];
    const env = new Map((container?.env ?? []).map((variable) => [variable.name, variable.value]));
    const nodeOptions = env.get('NODE_OPTIONS')?.split(/\s+/) ?? [];
    expect(nodeOptions).toEqual(expect.arrayContaining([...SERVICE_NODE_OPTIONS]));
    for (const [variable, value] of Object.entries(SERVICE_PROCESS_ENV)) expect(env.get(variable) ?? value).toBe(value);
  });

  it('sizes the streams (STREAM_MAX_BYTES) to fit together in each JetStream node’s max_file_store, the log of record getting most', () => {
    const config = manifests.find((object) => object.kind === 'ConfigMap' && object.metadata?.name === 'agentledger-config') as { data?: Record<string, string> } | undefined;
    const parsed = parseStreamMaxBytes(config?.data?.STREAM_MAX_BYTES ?? '');
    expect(parsed).not.toHaveProperty('problems');
    const limits = (parsed as { value: Record<string, number> }).value;
    const total = allStreams().reduce((sum, spec) => sum + (limits[spec.name] ?? spec.maxBytes), 0);
    const natsConf = readFileSync(join(k8sDir, 'nats.yaml'), 'utf8');
    const [, amount, unit] = /max_file_store:\s*(\d+)([KMGT]?)/.exec(natsConf) ?? [];
    const fileStore = Number(amount) * 1024 ** ' KMGT'.indexOf(unit || ' ');
    expect(total).toBeLessThanOrEqual(fileStore);
    expect(limits.FINOPS_FACTS! + limits.FINOPS_COSTS!).toBeGreaterThan(total / 2);
  });

  it('runs a 3-node NATS cluster with JetStream on persistent volumes, routes to every node and a quorum-keeping PDB', () => {
    expect(natsProblems(manifests)).toEqual([]);
  });

  it('runs Postgres on a persistent volume behind a Service, and says how to use an external one', () => {
    expect(postgresProblems(manifests)).toEqual([]);
    expect(readFileSync(join(k8sDir, 'postgres.yaml'), 'utf8')).toMatch(/external managed Postgres/i);
  });

  it('fits every service pod at its HPA maximum, times its connection pool, in Postgres max_connections', () => {
    expect(connectionBudgetProblems(manifests)).toEqual([]);
  });

  it('gives the StatefulSets probes, resources and a non-root user', () => {
    const problems = objectsOfKind<IStatefulSet>(manifests, 'StatefulSet').flatMap(statefulSetProblems);
    expect(problems).toEqual([]);
  });

  it('denies by default; services reach NATS and Postgres but not each other; only gateway and ingestion are open', () => {
    expect(networkProblems(manifests)).toEqual([]);
  });

  it('runs NATS with the generated users (Secret nats-auth) and gives every service its own NATS user and password Secret', () => {
    expect(k8sNatsAuthProblems(manifests)).toEqual([]);
  });
});
