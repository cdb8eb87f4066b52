// The NATS JetStream cluster, Postgres, and the network isolation around the services.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IService } from 'kubernetes-models/v1/Service';
import {
  acceptsOutsideIngress,
  canReach,
  findObject,
  isEmptySelector,
  mapSelectorMatches,
  objectsOfKind,
  selectorMatches,
  workloadOf,
  workloads,
  type LabelSelector,
  type Workload,
} from './cluster.js';
import { natsClientPort, postgresPort, serviceNames, services } from './contract.js';
import { containerEnvironment } from './k8s-contract.js';
import type { Manifest } from './kubernetes.js';

export interface NatsConfig {
  serverName?: string;
  jetStream?: { storeDir?: string };
  clusterPort?: number;
  routes: Array<{ host: string; port: number }>;
}

/** The parts of a nats-server configuration file these checks need. */
export function parseNatsConfig(text: string): NatsConfig {
  const withoutComments = text.replace(/#.*$/gm, '');
  const block = (name: string): string | undefined => new RegExp(`^\\s*${name}\\s*[:=]?\\s*\\{([\\s\\S]*?)^\\s*\\}`, 'm').exec(withoutComments)?.[1];
  const jetStreamBlock = block('jetstream');
  const clusterBlock = block('cluster') ?? '';
  const clusterListen = /^\s*(?:listen|port)\s*[:=]\s*"?(?:[^\s:"]*:)?(\d+)/m.exec(clusterBlock);
  return {
    serverName: /^\s*server_name\s*[:=]\s*"?([^\s"]+)/m.exec(withoutComments)?.[1],
    jetStream: jetStreamBlock === undefined ? undefined : { storeDir: /store_dir\s*[:=]\s*"?([^\s"]+)/.exec(jetStreamBlock)?.[1] },
    clusterPort: clusterListen ? Number(clusterListen[1]) : undefined,
    routes: [...clusterBlock.matchAll(/nats(?:-route)?:\/\/([^:\s"]+):(\d+)/g)].map((match) => ({ host: match[1], port: Number(match[2]) })),
  };
}

export function natsProblems(manifests: readonly Manifest[], name = 'nats'): string[] {
  const statefulSet = findObject<IStatefulSet>(manifests, 'StatefulSet', name);
  if (!statefulSet?.spec) return [`no StatefulSet ${name}`];
  const problems: string[] = [];
  const spec = statefulSet.spec;
  const replicas = spec.replicas ?? 1;
  const pod = workloadOf(statefulSet);
  const container = pod.containers[0];
  if (replicas !== 3) problems.push(`${name}: ${replicas} replicas, a JetStream cluster here has 3`);
  if (!/^nats:2\.10(\b|[.-])/.test(container?.image ?? '')) problems.push(`${name}: image ${container?.image} is not NATS 2.10`);

  const headless = findObject<IService>(manifests, 'Service', spec.serviceName ?? '');
  if (headless?.spec?.clusterIP !== 'None') problems.push(`${name}: serviceName ${spec.serviceName} is not a headless Service`);
  else {
    if (!mapSelectorMatches(headless.spec.selector, pod.labels)) problems.push(`${name}: headless Service does not select the pods`);
    if (headless.spec.publishNotReadyAddresses !== true) problems.push(`${name}: headless Service hides not-ready peers while the cluster forms`);
  }
  const client = objectsOfKind<IService>(manifests, 'Service').find(
    (service) => service.spec?.clusterIP !== 'None' && mapSelectorMatches(service.spec?.selector, pod.labels),
  );
  if (!client?.spec?.ports?.some((port) => port.port === natsClientPort)) problems.push(`${name}: no client Service on ${natsClientPort}`);

  // The configuration file: --config <path>, from a mounted ConfigMap.
  const commandLine = [...(container?.command ?? []), ...(container?.args ?? [])];
  const configAt = commandLine.findIndex((argument) => argument === '--config' || argument === '-c');
  const configPath = configAt >= 0 ? commandLine[configAt + 1] : undefined;
  const configMount = container?.volumeMounts?.find((mount) => configPath?.startsWith(`${mount.mountPath}/`));
  const configVolume = spec.template.spec?.volumes?.find((volume) => volume.name === configMount?.name);
  const configMap = findObject<IConfigMap>(manifests, 'ConfigMap', configVolume?.configMap?.name ?? '');
  const configText = configPath && configMount ? configMap?.data?.[configPath.slice(configMount.mountPath.length + 1)] : undefined;
  if (configText === undefined) return [...problems, `${name}: its --config file is not a key of a mounted ConfigMap`];
  const config = parseNatsConfig(configText);

  if (!config.jetStream) problems.push(`${name}: JetStream is not enabled in the configuration`);
  const storeDir = config.jetStream?.storeDir;
  const claims = new Set((spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata?.name));
  const storeMount = container?.volumeMounts?.find((mount) => storeDir === mount.mountPath || storeDir?.startsWith(`${mount.mountPath}/`));
  if (!storeMount || !claims.has(storeMount.name)) problems.push(`${name}: JetStream store_dir ${storeDir} is not on a volumeClaimTemplate`);
  if (!config.serverName) problems.push(`${name}: no server_name (JetStream clustering needs a stable one per node)`);

  const expectedHosts = Array.from({ length: replicas }, (_, i) => `${name}-${i}.${spec.serviceName}`);
  const routeHosts = config.routes.map((route) => route.host);
  for (const host of expectedHosts) {
    if (!routeHosts.some((route) => route === host || route.startsWith(`${host}.`))) problems.push(`${name}: no cluster route to ${host}`);
  }
  if (config.routes.length !== replicas) problems.push(`${name}: ${config.routes.length} cluster routes for ${replicas} nodes`);
  if (config.routes.some((route) => route.port !== config.clusterPort)) problems.push(`${name}: routes do not use the cluster port ${config.clusterPort}`);
  if (!headless?.spec?.ports?.some((port) => port.port === config.clusterPort)) problems.push(`${name}: headless Service lacks the cluster port`);

  const pdb = objectsOfKind<IPodDisruptionBudget>(manifests, 'PodDisruptionBudget').find((candidate) =>
    selectorMatches(candidate.spec?.selector as LabelSelector, pod.labels),
  );
  const quorum = Math.floor(replicas / 2) + 1;
  const disruptable =
    typeof pdb?.spec?.maxUnavailable === 'number' ? pdb.spec.maxUnavailable :
    typeof pdb?.spec?.minAvailable === 'number' ? replicas - pdb.spec.minAvailable :
    undefined;
  if (disruptable === undefined || replicas - disruptable < quorum || disruptable < 1) {
    problems.push(`${name}: the PodDisruptionBudget must keep a quorum of ${quorum} and still allow one eviction`);
  }
  return problems;
}

export function postgresProblems(manifests: readonly Manifest[]): string[] {
  const statefulSet = findObject<IStatefulSet>(manifests, 'StatefulSet', 'postgres');
  if (!statefulSet?.spec) return ['no StatefulSet postgres'];
  const problems: string[] = [];
  const pod = workloadOf(statefulSet);
  if (!/^postgres:16(\b|[.-])/.test(pod.containers[0]?.image ?? '')) problems.push(`postgres: image ${pod.containers[0]?.image} is not Postgres 16`);
  const claims = new Set((statefulSet.spec.volumeClaimTemplates ?? []).map((claim) => claim.metadata?.name));
  if (!pod.containers[0]?.volumeMounts?.some((mount) => mount.mountPath === '/var/lib/postgresql/data' && claims.has(mount.name))) {
    problems.push('postgres: data directory is not on a volumeClaimTemplate');
  }
  const service = objectsOfKind<IService>(manifests, 'Service').find((candidate) => mapSelectorMatches(candidate.spec?.selector, pod.labels));
  if (!service?.spec?.ports?.some((port) => port.port === postgresPort)) problems.push(`postgres: no Service on ${postgresPort}`);
  return problems;
}

export function networkProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const policies = objectsOfKind<INetworkPolicy>(manifests, 'NetworkPolicy');
  const defaultDeny = policies.some(
    (policy) =>
      isEmptySelector(policy.spec?.podSelector as LabelSelector) &&
      ['Ingress', 'Egress'].every((type) => (policy.spec?.policyTypes as string[] | undefined)?.includes(type)) &&
      (policy.spec?.ingress ?? []).length === 0 &&
      (policy.spec?.egress ?? []).length === 0,
  );
  if (!defaultDeny) problems.push('no default-deny NetworkPolicy (every pod, ingress and egress, no rules)');
  const dnsAllowed = policies.some(
    (policy) =>
      isEmptySelector(policy.spec?.podSelector as LabelSelector) &&
      (policy.spec?.egress ?? []).some((rule) => rule.ports?.some((port) => port.port === 53 && port.protocol === 'UDP')),
  );
  if (!dnsAllowed) problems.push('pods may not resolve names: no egress to port 53/UDP');

  const byName = new Map(workloads(manifests).map((workload) => [workload.name, workload]));
  const nats = byName.get('nats');
  const postgres = byName.get('postgres');
  if (!nats || !postgres) return [...problems, 'nats and postgres workloads are needed to check reachability'];

  const servicePods = serviceNames.flatMap((name) => (byName.has(name) ? [byName.get(name) as Workload] : []));
  for (const pod of servicePods) {
    if (!canReach(policies, pod, nats, natsClientPort)) problems.push(`${pod.name} cannot reach NATS on ${natsClientPort}`);
    const needsDatabase = services[pod.name as keyof typeof services].database;
    if (needsDatabase && !canReach(policies, pod, postgres, postgresPort)) problems.push(`${pod.name} cannot reach Postgres on ${postgresPort}`);
    if (!needsDatabase && canReach(policies, pod, postgres, postgresPort)) problems.push(`${pod.name} has no database, yet can reach Postgres on ${postgresPort}`);
    for (const other of servicePods) {
      const port = services[other.name as keyof typeof services].port;
      if (other !== pod && canReach(policies, pod, other, port)) problems.push(`${pod.name} can reach ${other.name} on ${port}: services talk through NATS`);
    }
  }
  if (!canReach(policies, nats, nats, 6222)) problems.push('NATS nodes cannot reach each other on the cluster port 6222');

  const open = [...byName.values()].filter((workload) => acceptsOutsideIngress(policies, workload)).map((workload) => workload.name).sort();
  const expectedOpen = serviceNames.filter((name) => services[name].public).sort();
  if (JSON.stringify(open) !== JSON.stringify(expectedOpen)) {
    problems.push(`accepting ingress from outside: ${open.join(', ') || 'nothing'}; expected only ${expectedOpen.join(', ')}`);
  }
  return problems;
}

/** Postgres' defaults when not set on its command line. */
const postgresDefaults = { maxConnections: 100, superuserReserved: 3, poolSize: 10, queryPoolSize: 5 };

/**
 * The pools a pod of each service opens beyond the two every service has (`DATABASE_POOL_SIZE`
 * for projections and commands, `DATABASE_QUERY_POOL_SIZE` for queries): budgeting's pre-call
 * checks have a pool of their own the size of the first (services/budgeting/src/budgeting.service.ts),
 * inventory's agent list reads through a raw pool the size of the second (services/inventory/src/inventory.service.ts).
 */
const extraPools: Record<string, { readonly pool?: number; readonly queryPool?: number }> = {
  budgeting: { pool: 1 },
  inventory: { queryPool: 1 },
};

/** Every pod with a database, at its HPA maximum, times its pool size, fits in max_connections. */
export function connectionBudgetProblems(manifests: readonly Manifest[]): string[] {
  const postgres = findObject<IStatefulSet>(manifests, 'StatefulSet', 'postgres')?.spec?.template.spec?.containers[0];
  if (!postgres) return ['no postgres container'];
  const settings = (postgres.args ?? []).join(' ');
  const setting = (name: string, fallback: number): number => Number(new RegExp(`${name}=(\\d+)`).exec(settings)?.[1] ?? fallback);
  const available = setting('max_connections', postgresDefaults.maxConnections) - setting('superuser_reserved_connections', postgresDefaults.superuserReserved);

  const problems: string[] = [];
  const demand = connectionDemand(manifests, problems);
  const total = demand.reduce((sum, { connections }) => sum + connections, 0);
  if (total > available) {
    const detail = demand.map(({ name, connections }) => `${name} ${connections}`).join(', ');
    problems.push(`up to ${total} database connections (${detail}) but Postgres accepts ${available}`);
  }
  return problems;
}

/** Database connections each Deployment may open: pods at its HPA maximum times every pool a pod opens. */
export function connectionDemand(manifests: readonly Manifest[], problems: string[] = []): Array<{ name: string; connections: number }> {
  return objectsOfKind<IDeployment>(manifests, 'Deployment').map((deployment) => {
    const container = deployment.spec?.template.spec?.containers[0];
    const env = container ? containerEnvironment(manifests, container, problems, deployment.metadata.name) : {};
    if (!env['DATABASE_URL']) return { name: deployment.metadata.name, connections: 0 };
    const hpa = objectsOfKind<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler').find(
      (candidate) => candidate.spec?.scaleTargetRef.name === deployment.metadata.name,
    );
    const pods = hpa?.spec?.maxReplicas ?? deployment.spec?.replicas ?? 1;
    const pool = Number(env['DATABASE_POOL_SIZE'] ?? postgresDefaults.poolSize);
    const queryPool = Number(env['DATABASE_QUERY_POOL_SIZE'] ?? postgresDefaults.queryPoolSize);
    const extra = extraPools[deployment.metadata.name] ?? {};
    const perPod = pool * (1 + (extra.pool ?? 0)) + queryPool * (1 + (extra.queryPool ?? 0));
    return { name: deployment.metadata.name, connections: pods * perPod };
  });
}
