// What k8s/ must say beyond being schema-valid. Each check returns its problems (empty when
// satisfied), so that a test can also show that a broken manifest set is caught.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import type { IService } from 'kubernetes-models/v1/Service';
import {
  findObject,
  mapSelectorMatches,
  objectsOfKind,
  quantity,
  resolvePort,
  selectorMatches,
  type LabelSelector,
} from './cluster.js';
import { imageFor, namespace, requiredVariables, services, databaseServiceNames, type ServiceName } from './contract.js';
import { clusterScopedKinds, kustomizationFile, type Kustomization, type Manifest } from './kubernetes.js';

export const configMapName = 'agentledger-config';
export const secretName = 'agentledger-secrets';

function dataKeys(object: (IConfigMap | ISecret) | undefined): Record<string, string> {
  if (!object) return {};
  const secret = object as ISecret;
  const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
  return { ...decoded, ...(secret.stringData ?? {}), ...((object as IConfigMap).data ?? {}) };
}

/** The environment a container sees: name -> value (or a description for unresolved refs). */
export function containerEnvironment(manifests: readonly Manifest[], container: IContainer, problems: string[], owner: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const object = ref?.name ? findObject<IConfigMap | ISecret>(manifests, kind, ref.name) : undefined;
    if (!object) {
      if (!ref?.optional) problems.push(`${owner}: envFrom ${kind} ${ref?.name} does not exist`);
      continue;
    }
    for (const [key, value] of Object.entries(dataKeys(object))) env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const keyRef = variable.valueFrom?.configMapKeyRef ?? variable.valueFrom?.secretKeyRef;
    if (keyRef) {
      const kind = variable.valueFrom?.configMapKeyRef ? 'ConfigMap' : 'Secret';
      const values = dataKeys(findObject<IConfigMap | ISecret>(manifests, kind, keyRef.name ?? ''));
      if (!(keyRef.key in values)) problems.push(`${owner}: ${variable.name} refers to ${kind} ${keyRef.name} key ${keyRef.key}, which does not exist`);
      env[variable.name] = values[keyRef.key] ?? '';
    } else if (variable.valueFrom) {
      env[variable.name] = `<${Object.keys(variable.valueFrom).join(',')}>`;
    } else {
      env[variable.name] = variable.value ?? '';
    }
  }
  return env;
}

function podSpecProblems(owner: string, spec: IPodSpec | undefined, container: IContainer): string[] {
  const problems: string[] = [];
  const pod = spec?.securityContext ?? {};
  const own = container.securityContext ?? {};
  if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${owner}: runAsNonRoot is not set`);
  if ((own.runAsUser ?? pod.runAsUser) === 0) problems.push(`${owner}: runs as user 0`);
  if (own.allowPrivilegeEscalation !== false) problems.push(`${owner}: allowPrivilegeEscalation is not false`);
  const { requests = {}, limits = {} } = container.resources ?? {};
  for (const resource of ['cpu', 'memory']) {
    const request = quantity(requests[resource]);
    const limit = quantity(limits[resource]);
    if (Number.isNaN(request)) problems.push(`${owner}: no valid ${resource} request`);
    if (Number.isNaN(limit)) problems.push(`${owner}: no valid ${resource} limit`);
    if (request > limit) problems.push(`${owner}: ${resource} request ${requests[resource]} exceeds its limit ${limits[resource]}`);
  }
  return problems;
}

export function serviceProblems(manifests: readonly Manifest[], name: ServiceName): string[] {
  const deployment = findObject<IDeployment>(manifests, 'Deployment', name);
  if (!deployment) return [`${name}: no Deployment`];
  const problems: string[] = [];
  const { port, portVariable } = services[name];
  const template = deployment.spec?.template;
  const podLabels = (template?.metadata?.labels ?? {}) as Record<string, string>;
  const containers = template?.spec?.containers ?? [];
  const container = containers.find((candidate) => candidate.name === name) ?? containers[0];

  if (!selectorMatches(deployment.spec?.selector as LabelSelector, podLabels) || Object.keys(podLabels).length === 0) {
    problems.push(`${name}: the Deployment's selector does not match its pod labels`);
  }
  if (container.image !== imageFor(name)) problems.push(`${name}: image is ${container.image}, expected ${imageFor(name)}`);
  if (!container.ports?.some((candidate) => candidate.containerPort === port)) problems.push(`${name}: container does not declare port ${port}`);

  const probes = { readinessProbe: '/readyz', livenessProbe: '/healthz' } as const;
  for (const [probe, path] of Object.entries(probes)) {
    const get = container[probe as keyof typeof probes]?.httpGet;
    if (get?.path !== path || resolvePort(get.port, containers) !== port) {
      problems.push(`${name}: ${probe} should GET ${path} on port ${port}, has ${get ? `${get.path} on ${get.port}` : 'none'}`);
    }
  }
  problems.push(...podSpecProblems(name, template?.spec, container));

  const annotations = template?.metadata?.annotations ?? {};
  if (annotations['prometheus.io/scrape'] !== 'true') problems.push(`${name}: pods lack prometheus.io/scrape: "true"`);
  if (annotations['prometheus.io/port'] !== String(port)) problems.push(`${name}: prometheus.io/port is not ${port}`);
  if ((annotations['prometheus.io/path'] ?? '/metrics') !== '/metrics') problems.push(`${name}: prometheus.io/path is not /metrics`);

  const env = containerEnvironment(manifests, container, problems, name);
  for (const variable of requiredVariables(name)) {
    if (!env[variable]) problems.push(`${name}: environment lacks ${variable}`);
  }
  if (env['DATABASE_SCHEMA'] && env['DATABASE_SCHEMA'] !== name) problems.push(`${name}: DATABASE_SCHEMA is ${env['DATABASE_SCHEMA']}`);
  problems.push(...databaseAccessProblems(container, env, name));
  if (env['NODE_ENV'] && env['NODE_ENV'] !== 'production') problems.push(`${name}: NODE_ENV is ${env['NODE_ENV']}, expected production`);
  if (env[portVariable] && env[portVariable] !== String(port)) problems.push(`${name}: ${portVariable} is ${env[portVariable]}, expected ${port}`);

  const service = objectsOfKind<IService>(manifests, 'Service').find((candidate) => mapSelectorMatches(candidate.spec?.selector, podLabels));
  if (!service) problems.push(`${name}: no Service selects its pods`);
  else if (!service.spec?.ports?.some((servicePort) => servicePort.port === port && resolvePort(servicePort.targetPort ?? servicePort.port, containers) === port)) {
    problems.push(`${name}: Service ${service.metadata.name} does not forward port ${port} to the container`);
  }

  const hpa = objectsOfKind<IHorizontalPodAutoscaler>(manifests, 'HorizontalPodAutoscaler').find(
    (candidate) => candidate.spec?.scaleTargetRef.kind === 'Deployment' && candidate.spec.scaleTargetRef.name === name,
  )?.spec;
  const minReplicas = hpa?.minReplicas ?? 1;
  if (!hpa) problems.push(`${name}: no HorizontalPodAutoscaler`);
  else {
    if (minReplicas < 2) problems.push(`${name}: HPA minReplicas ${minReplicas} leaves a single pod`);
    if (hpa.maxReplicas < minReplicas) problems.push(`${name}: HPA maxReplicas is below minReplicas`);
    if ((hpa.metrics ?? []).length === 0) problems.push(`${name}: HPA has no metrics`);
  }

  const pdb = objectsOfKind<IPodDisruptionBudget>(manifests, 'PodDisruptionBudget').find((candidate) =>
    selectorMatches(candidate.spec?.selector as LabelSelector, podLabels),
  );
  if (!pdb) problems.push(`${name}: no PodDisruptionBudget`);
  else if (typeof pdb.spec?.minAvailable === 'number' && pdb.spec.minAvailable >= minReplicas) {
    problems.push(`${name}: PDB minAvailable ${pdb.spec.minAvailable} blocks every voluntary eviction at ${minReplicas} replicas`);
  } else if (pdb.spec?.minAvailable === undefined && pdb.spec?.maxUnavailable === undefined) {
    problems.push(`${name}: PDB sets neither minAvailable nor maxUnavailable`);
  }

  const policies = objectsOfKind<INetworkPolicy>(manifests, 'NetworkPolicy').filter(
    (policy) => !policy.spec?.podSelector || Object.keys(policy.spec.podSelector).length === 0 || selectorMatches(policy.spec.podSelector as LabelSelector, podLabels),
  );
  if (!policies.some((policy) => policy.metadata.name === name)) problems.push(`${name}: no NetworkPolicy of its own`);
  return problems;
}

/** The Secret that holds a service's own DATABASE_URL. */
export const databaseSecretName = (service: string): string => `${service}-database`;

/** The user of a postgres:// URL, or undefined. */
export const databaseUser = (url: string): string | undefined => /^postgres(?:ql)?:\/\/([^:@/]+)(?::[^@]*)?@/.exec(url)?.[1];

/**
 * Least privilege: a service with a database reads DATABASE_URL from its own Secret and logs in
 * as its own role (named after it, owning only its schema); the gateway gets no database at all.
 */
function databaseAccessProblems(container: IContainer, env: Record<string, string>, name: ServiceName): string[] {
  const problems: string[] = [];
  const reference = container.env?.find((variable) => variable.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef;
  if (!services[name].database) {
    for (const variable of ['DATABASE_URL', 'DATABASE_SCHEMA']) if (env[variable] !== undefined) problems.push(`${name}: has no database, yet receives ${variable}`);
    return problems;
  }
  if (reference?.name !== databaseSecretName(name)) problems.push(`${name}: DATABASE_URL comes from ${reference?.name ?? 'no Secret'}, expected its own Secret ${databaseSecretName(name)}`);
  const user = databaseUser(env['DATABASE_URL'] ?? '');
  if (user !== name) problems.push(`${name}: DATABASE_URL logs in as ${user ?? 'nobody'}, expected its own role ${name}`);
  return problems;
}

/** Objects live in the namespace, names are unique per kind, every reference resolves. */
export function namespaceProblems(manifests: readonly Manifest[], kustomization: Kustomization): string[] {
  const problems: string[] = [];
  if (kustomization.namespace !== namespace) problems.push(`kustomization namespace is ${kustomization.namespace}, expected ${namespace}`);
  if (!findObject(manifests, 'Namespace', namespace)) problems.push(`no Namespace ${namespace}`);
  const seen = new Set<string>();
  for (const { kind, metadata } of manifests) {
    const key = `${kind}/${metadata.name}`;
    if (seen.has(key)) problems.push(`${key} is defined twice`);
    seen.add(key);
    if (!clusterScopedKinds.has(kind) && metadata.namespace !== namespace) problems.push(`${key} is not in namespace ${namespace}`);
  }
  return problems;
}

/** Every file under k8s/ is a kustomization resource, and every resource is a file. */
export function kustomizationProblems(files: readonly string[], kustomization: Kustomization): string[] {
  const manifestFiles = files.filter((file) => file !== kustomizationFile);
  return [
    ...kustomization.resources.filter((resource) => !manifestFiles.includes(resource)).map((resource) => `${kustomizationFile} lists ${resource}, which does not exist`),
    ...manifestFiles.filter((file) => !kustomization.resources.includes(file)).map((file) => `${file} is not listed in ${kustomizationFile}`),
  ];
}

/** The shared ConfigMap and Secret carry what the services read from them. */
export function configurationProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const config = dataKeys(findObject<IConfigMap>(manifests, 'ConfigMap', configMapName));
  const secret = dataKeys(findObject<ISecret>(manifests, 'Secret', secretName));
  for (const key of ['NATS_URL', 'LOG_LEVEL']) if (!config[key]) problems.push(`ConfigMap ${configMapName} lacks ${key}`);
  if (!secret['AGENTLEDGER_API_KEYS']) problems.push(`Secret ${secretName} lacks AGENTLEDGER_API_KEYS`);
  if (secret['DATABASE_URL']) problems.push(`Secret ${secretName} holds a DATABASE_URL every service would share; each has its own <service>-database`);
  if (config['NODE_ENV'] !== 'production') problems.push(`ConfigMap ${configMapName} sets NODE_ENV to ${config['NODE_ENV'] ?? 'nothing'}, expected production`);

  // Streams are created with STREAM_REPLICAS replicas (default 1): R3 on a 3-node cluster.
  const natsNodes = findObject<IStatefulSet>(manifests, 'StatefulSet', 'nats')?.spec?.replicas ?? 1;
  if (config['STREAM_REPLICAS'] !== String(natsNodes)) {
    problems.push(`STREAM_REPLICAS is ${config['STREAM_REPLICAS'] ?? 'unset (1)'}, expected ${natsNodes} for the ${natsNodes}-node NATS cluster`);
  }

  const natsUrl = /^nats:\/\/([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)$/.exec(config['NATS_URL'] ?? '');
  const natsService = natsUrl ? findObject<IService>(manifests, 'Service', natsUrl[1]) : undefined;
  if (!natsService?.spec?.ports?.some((port) => port.port === Number(natsUrl?.[2]))) {
    problems.push(`NATS_URL ${config['NATS_URL']} does not name a Service port`);
  }
  for (const service of databaseServiceNames) {
    const url = dataKeys(findObject<ISecret>(manifests, 'Secret', databaseSecretName(service)))['DATABASE_URL'] ?? '';
    const databaseHost = /^postgres(?:ql)?:\/\/[^@]+@([a-z0-9-]+)(?:\.[a-z0-9.-]+)?:(\d+)\//.exec(url);
    if (!databaseHost) problems.push(`${service}: DATABASE_URL is not a postgres:// URL with user, host and port`);
    else if (!findObject<IService>(manifests, 'Service', databaseHost[1])?.spec?.ports?.some((port) => port.port === Number(databaseHost[2]))) {
      problems.push(`${service}: DATABASE_URL host ${databaseHost[1]}:${databaseHost[2]} is not a Service here (fine for an external database: update this check)`);
    }
  }
  return problems;
}

/** Containers of StatefulSets: probes, resources and non-root, as for the services. */
export function statefulSetProblems(statefulSet: IStatefulSet & Manifest): string[] {
  const name = statefulSet.metadata.name;
  const containers = statefulSet.spec?.template.spec?.containers ?? [];
  return containers.flatMap((container) => [
    ...podSpecProblems(`${name}/${container.name}`, statefulSet.spec?.template.spec, container),
    ...(container.readinessProbe ? [] : [`${name}/${container.name}: no readiness probe`]),
    ...(container.livenessProbe ? [] : [`${name}/${container.name}: no liveness probe`]),
  ]);
}
