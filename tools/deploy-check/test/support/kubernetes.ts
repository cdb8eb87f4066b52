// Loading k8s/ and validating each object against the Kubernetes OpenAPI schema, through the
// model classes of `kubernetes-models`. A kind without a model here is an error: add its
// class when the manifests start using it. kustomize's Kustomization has no OpenAPI schema
// in the cluster, so it is checked by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseYamlDocuments } from './yaml.js';

interface Validatable {
  validate(): void;
}

const models: Record<string, new (data: never) => Validatable> = {
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};

export const clusterScopedKinds = new Set(['Namespace']);

export const kustomizationApiVersion = 'kustomize.config.k8s.io/v1beta1';
export const kustomizationFile = 'kustomization.yaml';
const kustomizationKeys = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'commonAnnotations', 'images']);

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface LoadedManifest {
  /** Path relative to the k8s directory, with forward slashes. */
  file: string;
  object: Manifest;
}

export interface Kustomization {
  apiVersion: string;
  kind: 'Kustomization';
  namespace?: string;
  resources: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws, naming the first problems, unless `object` is a valid object of a known kind. */
export function validateManifest(object: unknown): asserts object is Manifest {
  if (!isRecord(object)) throw new Error('a manifest must be a mapping');
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') throw new Error('apiVersion and kind are required');
  if (kind === 'Kustomization') {
    validateKustomization(object);
    return;
  }
  const Model = models[`${apiVersion}/${kind}`];
  if (!Model) throw new Error(`unknown kind ${apiVersion}/${kind}: no model to validate it against`);
  const metadata = object['metadata'];
  if (!isRecord(metadata) || typeof metadata['name'] !== 'string' || metadata['name'] === '') {
    throw new Error(`${kind}: metadata.name is required`);
  }
  new Model(object as never).validate();
}

export function validateKustomization(object: Record<string, unknown>): asserts object is Kustomization & Record<string, unknown> {
  if (object['apiVersion'] !== kustomizationApiVersion) throw new Error(`Kustomization: apiVersion must be ${kustomizationApiVersion}`);
  for (const key of Object.keys(object)) {
    if (!kustomizationKeys.has(key)) throw new Error(`Kustomization: unsupported field ${key}`);
  }
  const resources = object['resources'];
  if (!Array.isArray(resources) || resources.length === 0 || !resources.every((r) => typeof r === 'string' && r !== '')) {
    throw new Error('Kustomization: resources must be a non-empty list of paths');
  }
  if (new Set(resources).size !== resources.length) throw new Error('Kustomization: a resource is listed twice');
  if (object['namespace'] !== undefined && typeof object['namespace'] !== 'string') {
    throw new Error('Kustomization: namespace must be a string');
  }
}

/**
 * Directories of k8s/ holding alternatives to files of the base (postgres-ha/ replaces
 * postgres.yaml): not part of the kustomization, checked on their own.
 */
export const alternativeDirectories = ['postgres-ha'];

export function yamlFilesUnder(dir: string, options: { alternatives?: boolean } = {}): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.ya?ml$/.test(path))
    .filter((path) => options.alternatives || !alternativeDirectories.some((alternative) => path.startsWith(`${alternative}${sep}`)))
    .map((path) => path.split(sep).join('/'))
    .sort();
}

export function loadManifestDirectory(dir: string): { manifests: LoadedManifest[]; kustomization: Kustomization; files: string[] } {
  const files = yamlFilesUnder(dir);
  const manifests: LoadedManifest[] = [];
  let kustomization: Kustomization | undefined;
  for (const file of files) {
    const path = join(dir, file);
    for (const object of parseYamlDocuments(readFileSync(path, 'utf8'), relative(dir, path))) {
      if (isRecord(object) && object['kind'] === 'Kustomization') {
        if (file !== kustomizationFile) throw new Error(`${file}: a Kustomization outside ${kustomizationFile}`);
        validateKustomization(object);
        kustomization = object;
      } else {
        manifests.push({ file, object: object as Manifest });
      }
    }
  }
  if (!kustomization) throw new Error(`${dir}: no ${kustomizationFile}`);
  return { manifests, kustomization, files };
}

export function describeManifest({ file, object }: LoadedManifest): string {
  return `${file}: ${object?.kind}/${object?.metadata?.name}`;
}
