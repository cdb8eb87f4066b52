// NATS authorization in k8s/ and docker-compose.yml: nats-server runs with the users and
// permissions `npm run nats-auth` generates, and every service connects as its own user.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ISecret } from 'kubernetes-models/v1/Secret';
import { findObject } from './cluster.js';
import type { ComposeFile, ComposeService } from './compose-contract.js';
import { environmentOf } from './compose-contract.js';
import { serviceNames } from './contract.js';
import type { Manifest } from './kubernetes.js';

export const natsAuthSecret = 'nats-auth';
export const natsCredentialsSecret = 'nats-credentials';
const authMountPath = '/etc/nats-auth';

const secretKeys = (secret: ISecret | undefined) => new Set([...Object.keys(secret?.data ?? {}), ...Object.keys(secret?.stringData ?? {})]);

/** The NATS StatefulSet loads the generated users from a Secret; each service has its user and a password from a Secret. */
export function k8sNatsAuthProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const config = findObject<IConfigMap>(manifests, 'ConfigMap', 'nats-config')?.data?.['nats.conf'] ?? '';
  if (!/^\s*include\s+["']?\.\.\/nats-auth\/auth\.conf["']?\s*$/m.test(config)) problems.push('nats-config: nats.conf does not include ../nats-auth/auth.conf (the generated users)');
  if (/^\s*no_auth_user\b/m.test(config)) problems.push('nats-config: no_auth_user admits clients without credentials');
  if (!secretKeys(findObject<ISecret>(manifests, 'Secret', natsAuthSecret)).has('auth.conf')) problems.push(`Secret ${natsAuthSecret} lacks auth.conf`);

  const nats = findObject<IStatefulSet>(manifests, 'StatefulSet', 'nats');
  const pod = nats?.spec?.template?.spec;
  const volume = pod?.volumes?.find((candidate) => candidate.secret?.secretName === natsAuthSecret);
  const mounted = pod?.containers?.some((container) => container.volumeMounts?.some((mount) => mount.name === volume?.name && mount.mountPath === authMountPath));
  if (!volume || !mounted) problems.push(`StatefulSet nats does not mount Secret ${natsAuthSecret} at ${authMountPath}`);

  const credentials = secretKeys(findObject<ISecret>(manifests, 'Secret', natsCredentialsSecret));
  for (const name of serviceNames) {
    const deployment = findObject<IDeployment>(manifests, 'Deployment', name);
    const container = deployment?.spec?.template?.spec?.containers?.find((candidate) => candidate.name === name);
    const env = new Map((container?.env ?? []).map((variable) => [variable.name, variable]));
    if (env.get('NATS_USER')?.value !== name) problems.push(`${name}: NATS_USER is not ${name}`);
    const password = env.get('NATS_PASSWORD')?.valueFrom?.secretKeyRef;
    if (!password || password.name !== natsCredentialsSecret || !credentials.has(password.key)) {
      problems.push(`${name}: NATS_PASSWORD does not come from Secret ${natsCredentialsSecret} (key ${name})`);
    }
  }
  return problems;
}

const envFilesOf = (service: ComposeService): string[] => {
  const files = (service as { env_file?: string | Array<string | { path: string }> }).env_file ?? [];
  return (Array.isArray(files) ? files : [files]).map((file) => (typeof file === 'string' ? file : file.path));
};

/** Compose's nats-server reads the generated config; each service takes its user from its generated env file. */
export function composeNatsAuthProblems(compose: ComposeFile): string[] {
  const problems: string[] = [];
  const nats = compose.services?.['nats'];
  const command = Array.isArray(nats?.command) ? nats.command.join(' ') : (nats?.command ?? '');
  if (!/(^|\s)(-c|--config)\s+\/etc\/nats-auth\/nats-server\.conf(\s|$)/.test(command)) problems.push('nats: not started with -c /etc/nats-auth/nats-server.conf');
  const volumes = (nats?.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`));
  if (!volumes.some((volume) => /^\.\/\.nats-auth:\/etc\/nats-auth(:ro)?$/.test(volume))) problems.push('nats: ./.nats-auth is not mounted at /etc/nats-auth');
  for (const name of serviceNames) {
    const service = compose.services?.[name];
    if (!service) continue;
    if (!envFilesOf(service).includes(`.nats-auth/${name}.env`)) problems.push(`${name}: env_file lacks .nats-auth/${name}.env (its NATS user)`);
    const env = environmentOf(service);
    if (env['NATS_PASSWORD'] !== undefined || env['NATS_USER'] !== undefined) problems.push(`${name}: NATS credentials written in the environment instead of its env file`);
  }
  return problems;
}
