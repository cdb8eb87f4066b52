// Deployment foot-guns around credentials and Postgres: the shipped API key must be one the
// services refuse, every service logs in as its own role created by the roles Job, and the
// CloudNativePG alternative (postgres-ha/) is a real HA cluster the services can use unchanged.
import { ApiKeyRing, productionApiKeyProblems } from '@agentledger/service-kit';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import { findObject, objectsOfKind } from './cluster.js';
import { databaseServiceNames } from './contract.js';
import { containerEnvironment, databaseSecretName, databaseUser, secretName } from './k8s-contract.js';
import type { Manifest } from './kubernetes.js';

export const rolesJobName = 'postgres-service-roles';
export const rolesScriptKey = '10-service-roles.sh';
export const superuserSecretName = 'postgres-superuser';

const stringData = (secret: ISecret | undefined): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(secret?.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')])),
  ...(secret?.stringData ?? {}),
});

/** What a service started with NODE_ENV=production says about a key list (empty: it would start). */
export function productionKeyProblems(list: string): string[] {
  try {
    return productionApiKeyProblems('production', ApiKeyRing.parse(list)).map(({ problem }) => problem);
  } catch (error) {
    return [String((error as Error).message)];
  }
}

/** The keys shipped in the Secret must be refused in production: a placeholder, never a working key. */
export function shippedApiKeyProblems(manifests: readonly Manifest[]): string[] {
  const keys = stringData(findObject<ISecret>(manifests, 'Secret', secretName))['AGENTLEDGER_API_KEYS'];
  if (keys === undefined) return [`Secret ${secretName} has no AGENTLEDGER_API_KEYS`];
  return productionKeyProblems(keys).length === 0 ? [`Secret ${secretName} ships AGENTLEDGER_API_KEYS that a production service accepts: ship a placeholder`] : [];
}

/** One role per service, distinct, each created by the roles Job from the service's own Secret. */
export function databaseRoleProblems(manifests: readonly Manifest[], rolesScript: string): string[] {
  const problems: string[] = [];
  const users = databaseServiceNames.map((service) => databaseUser(stringData(findObject<ISecret>(manifests, 'Secret', databaseSecretName(service)))['DATABASE_URL'] ?? ''));
  databaseServiceNames.forEach((service, index) => {
    if (users[index] !== service) problems.push(`Secret ${databaseSecretName(service)}: DATABASE_URL logs in as ${users[index] ?? 'nobody'}, expected ${service}`);
  });

  const script = findObject<IConfigMap>(manifests, 'ConfigMap', rolesJobName)?.data?.[rolesScriptKey];
  if (script === undefined) problems.push(`no ConfigMap ${rolesJobName} with ${rolesScriptKey}`);
  else if (script !== rolesScript) problems.push(`ConfigMap ${rolesJobName}: ${rolesScriptKey} differs from deploy/postgres/${rolesScriptKey}`);

  const job = findObject<IJob>(manifests, 'Job', rolesJobName);
  const container = job?.spec?.template.spec?.containers[0];
  if (!job || !container) return [...problems, `no Job ${rolesJobName}`];
  const env = containerEnvironment(manifests, container, problems, `Job ${rolesJobName}`);
  const refs = Object.fromEntries((container.env ?? []).map((variable) => [variable.name, variable.valueFrom?.secretKeyRef?.name]));
  for (const service of databaseServiceNames) {
    const variable = `${service.toUpperCase()}_DATABASE_URL`;
    if (refs[variable] !== databaseSecretName(service)) problems.push(`Job ${rolesJobName}: ${variable} does not come from Secret ${databaseSecretName(service)}`);
  }
  if (refs['PGUSER'] !== superuserSecretName || refs['PGPASSWORD'] !== superuserSecretName) problems.push(`Job ${rolesJobName}: PGUSER and PGPASSWORD do not come from ${superuserSecretName}`);
  if (env['PGHOST'] !== 'postgres') problems.push(`Job ${rolesJobName}: PGHOST is ${env['PGHOST']}, expected the Service postgres`);
  if (!(container.command ?? []).join(' ').includes(rolesScriptKey)) problems.push(`Job ${rolesJobName} does not run ${rolesScriptKey}`);
  if (!job.spec?.template.spec?.volumes?.some((volume) => volume.configMap?.name === rolesJobName)) problems.push(`Job ${rolesJobName} does not mount ConfigMap ${rolesJobName}`);

  // The superuser stays with Postgres and the Job.
  for (const deployment of objectsOfKind<IDeployment>(manifests, 'Deployment')) {
    const containers = deployment.spec?.template.spec?.containers ?? [];
    const mentions = JSON.stringify(containers).includes(`"${superuserSecretName}"`);
    if (mentions) problems.push(`${deployment.metadata.name}: receives the Postgres superuser Secret`);
  }
  return problems;
}

export interface ClusterSpec {
  instances?: number;
  minSyncReplicas?: number;
  maxSyncReplicas?: number;
  superuserSecret?: { name?: string };
  bootstrap?: { initdb?: { database?: string } };
  postgresql?: { parameters?: Record<string, string> };
  inheritedMetadata?: { labels?: Record<string, string> };
  affinity?: { enablePodAntiAffinity?: boolean; podAntiAffinityType?: string; topologyKey?: string };
  storage?: { size?: string };
  imageName?: string;
}

/**
 * The CloudNativePG `Cluster` of postgres-ha/, by its shape (no CRD schema is downloaded): three
 * instances or more on distinct nodes, a synchronous standby, the services' database, room for
 * their connections, and the Service postgres pointing at the primary so nothing else changes.
 */
export function postgresHaProblems(manifests: readonly Manifest[], neededConnections: number): string[] {
  const problems: string[] = [];
  const cluster = manifests.find((object) => object.kind === 'Cluster');
  if (!cluster) return ['postgres-ha: no Cluster'];
  if (cluster.apiVersion !== 'postgresql.cnpg.io/v1') problems.push(`postgres-ha: Cluster apiVersion is ${cluster.apiVersion}, expected postgresql.cnpg.io/v1`);
  const spec = (cluster['spec'] ?? {}) as ClusterSpec;
  const instances = spec.instances ?? 1;
  if (instances < 3) problems.push(`postgres-ha: ${instances} instances, HA needs at least 3`);
  if ((spec.minSyncReplicas ?? 0) < 1 || (spec.maxSyncReplicas ?? 0) < (spec.minSyncReplicas ?? 0) || (spec.maxSyncReplicas ?? 0) >= instances) {
    problems.push('postgres-ha: no synchronous standby (1 ≤ minSyncReplicas ≤ maxSyncReplicas < instances): a failover may lose committed transactions');
  }
  if (spec.affinity?.enablePodAntiAffinity !== true || spec.affinity.podAntiAffinityType !== 'required' || spec.affinity.topologyKey !== 'kubernetes.io/hostname') {
    problems.push('postgres-ha: instances are not required to run on distinct nodes');
  }
  if (!/^ghcr\.io\/cloudnative-pg\/postgresql:16(\b|[.-])/.test(spec.imageName ?? '')) problems.push(`postgres-ha: image ${spec.imageName} is not Postgres 16`);
  if (!spec.storage?.size) problems.push('postgres-ha: no storage size');
  if (spec.bootstrap?.initdb?.database !== 'agentledger') problems.push('postgres-ha: bootstrap does not create the database agentledger');
  if (spec.superuserSecret?.name !== superuserSecretName) problems.push(`postgres-ha: the superuser is not ${superuserSecretName}, which the roles Job logs in with`);
  const maxConnections = Number(spec.postgresql?.parameters?.['max_connections'] ?? 100) - 3;
  if (maxConnections < neededConnections) problems.push(`postgres-ha: accepts ${maxConnections} connections, the services may open ${neededConnections}`);
  if (spec.inheritedMetadata?.labels?.['app.kubernetes.io/name'] !== 'postgres') problems.push('postgres-ha: pods lack app.kubernetes.io/name: postgres, so the services may not reach them');
  const service = findObject<IService>(manifests, 'Service', 'postgres');
  const selector = service?.spec?.selector ?? {};
  if (selector['cnpg.io/cluster'] !== cluster.metadata.name || selector['cnpg.io/instanceRole'] !== 'primary' || !service?.spec?.ports?.some((port) => port.port === 5432)) {
    problems.push('postgres-ha: no Service postgres on 5432 selecting the primary');
  }
  return problems;
}
