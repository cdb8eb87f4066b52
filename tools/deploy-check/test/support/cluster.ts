// Look-ups over a set of manifests, shared by the checks: find objects, match label selectors,
// resolve named ports, read Kubernetes quantities, and evaluate NetworkPolicies the way the
// API defines them (a pod is isolated in a direction as soon as one policy of that direction
// selects it; it is then reachable only through some rule of those policies).
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { Manifest } from './kubernetes.js';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

export function objectsOfKind<T>(manifests: readonly Manifest[], kind: string): Array<T & Manifest> {
  return manifests.filter((object) => object.kind === kind) as Array<T & Manifest>;
}

export function findObject<T>(manifests: readonly Manifest[], kind: string, name: string): (T & Manifest) | undefined {
  return objectsOfKind<T>(manifests, kind).find((object) => object.metadata.name === name);
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/** Label selector semantics; an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const actual = labels ?? {};
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    if (actual[key] !== value) return false;
  }
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    const present = key in actual;
    const ok =
      operator === 'In' ? present && values.includes(actual[key]) :
      operator === 'NotIn' ? !present || !values.includes(actual[key]) :
      operator === 'Exists' ? present :
      operator === 'DoesNotExist' ? !present :
      false;
    if (!ok) return false;
  }
  return true;
}

/** A Service or Deployment selector written as a plain map. */
export function mapSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return selector !== undefined && Object.keys(selector).length > 0 && selectorMatches({ matchLabels: selector }, labels);
}

/** The container port a probe, Service or policy names, by number or by port name. */
export function resolvePort(port: string | number | undefined, containers: readonly IContainer[]): number | undefined {
  if (typeof port === 'number') return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  for (const container of containers) {
    const named = container.ports?.find((candidate) => candidate.name === port);
    if (named) return named.containerPort;
  }
  return undefined;
}

const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const decimalSuffixes: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** A Kubernetes quantity (`250m`, `512Mi`, `2`) as a number, or NaN when malformed. */
export function quantity(value: string | number | undefined): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|m|k|M|G|T)?$/.exec(value ?? '');
  if (!match) return Number.NaN;
  const suffix = match[2] ?? '';
  return Number(match[1]) * (binarySuffixes[suffix] ?? decimalSuffixes[suffix]);
}

/** A pod as the network policies see it. */
export interface Workload {
  name: string;
  labels: Record<string, string>;
  containers: IContainer[];
}

export function workloadOf(object: Manifest & { spec?: { template?: IPodTemplateSpec } }): Workload {
  return {
    name: object.metadata.name,
    labels: (object.spec?.template?.metadata?.labels ?? {}) as Record<string, string>,
    containers: object.spec?.template?.spec?.containers ?? [],
  };
}

export function workloads(manifests: readonly Manifest[]): Workload[] {
  return [...objectsOfKind(manifests, 'Deployment'), ...objectsOfKind(manifests, 'StatefulSet')].map(workloadOf);
}

type Direction = 'Ingress' | 'Egress';

function policyTypes(policy: INetworkPolicy): Direction[] {
  const declared = policy.spec?.policyTypes as Direction[] | undefined;
  if (declared && declared.length > 0) return declared;
  return policy.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

export function policiesSelecting(policies: readonly INetworkPolicy[], pod: Workload, direction: Direction): INetworkPolicy[] {
  return policies.filter(
    (policy) => policyTypes(policy).includes(direction) && selectorMatches(policy.spec?.podSelector as LabelSelector, pod.labels),
  );
}

/** Peers in this namespace: a peer with only a namespaceSelector names other namespaces. */
function peerMatchesLocalPod(peer: INetworkPolicyPeer, pod: Workload): boolean {
  if (peer.ipBlock) return false;
  if (peer.namespaceSelector && !isEmptySelector(peer.namespaceSelector as LabelSelector) && !peer.podSelector) return false;
  return selectorMatches(peer.podSelector as LabelSelector | undefined, pod.labels);
}

function portsAllow(ports: readonly INetworkPolicyPort[] | undefined, port: number, target: Workload): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((candidate) => {
    if ((candidate.protocol ?? 'TCP') !== 'TCP') return false;
    if (candidate.port === undefined) return true;
    const from = resolvePort(candidate.port, target.containers);
    return from !== undefined && port >= from && port <= (candidate.endPort ?? from);
  });
}

/** Whether TCP traffic from pod `from` to port `port` of pod `to` (same namespace) is allowed. */
export function canReach(policies: readonly INetworkPolicy[], from: Workload, to: Workload, port: number): boolean {
  const egressPolicies = policiesSelecting(policies, from, 'Egress');
  const egressAllowed =
    egressPolicies.length === 0 ||
    egressPolicies.some((policy) =>
      (policy.spec?.egress ?? []).some(
        (rule) => (!rule.to || rule.to.length === 0 || rule.to.some((peer) => peerMatchesLocalPod(peer, to))) && portsAllow(rule.ports, port, to),
      ),
    );
  const ingressPolicies = policiesSelecting(policies, to, 'Ingress');
  const ingressAllowed =
    ingressPolicies.length === 0 ||
    ingressPolicies.some((policy) =>
      (policy.spec?.ingress ?? []).some(
        (rule) => (!rule.from || rule.from.length === 0 || rule.from.some((peer) => peerMatchesLocalPod(peer, from))) && portsAllow(rule.ports, port, to),
      ),
    );
  return egressAllowed && ingressAllowed;
}

/**
 * Whether anything outside the namespace (another namespace chosen by no label, an IP block,
 * or any source at all) may open a connection to the pod.
 */
export function acceptsOutsideIngress(policies: readonly INetworkPolicy[], pod: Workload): boolean {
  const selecting = policiesSelecting(policies, pod, 'Ingress');
  if (selecting.length === 0) return true;
  return selecting.some((policy) =>
    (policy.spec?.ingress ?? []).some(
      (rule) =>
        !rule.from ||
        rule.from.length === 0 ||
        rule.from.some((peer) => peer.ipBlock !== undefined || (peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector as LabelSelector))),
    ),
  );
}
