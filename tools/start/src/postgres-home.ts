import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, lstat, mkdir, realpath, rename, stat } from 'node:fs/promises';
import { dirname, join, parse } from 'node:path';
import { StartError } from './start-error.js';

export interface UserIds {
  readonly uid: number;
  readonly gid: number;
}

/**
 * Whether `user` may reach `path`: search permission on every directory from the root down to
 * it, by the owner, group or other bits that apply to that user (root's own view says nothing).
 */
export async function reachableBy(path: string, user: UserIds): Promise<boolean> {
  const real = await realpath(path);
  const chain: string[] = [];
  for (let dir = real; ; dir = dirname(dir)) {
    chain.push(dir);
    if (dir === parse(dir).root) break;
  }
  for (const dir of chain) {
    const { uid, gid, mode } = await stat(dir);
    const bit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
  }
  return true;
}

/**
 * A directory of this checkout's own that the `postgres` user can reach, for when the checkout
 * sits where it cannot (a clone in a 0700 directory, under /root): `/var/tmp/agentledger-postgres-<key>`,
 * keyed by the checkout's path so two checkouts never share a cluster, kept across reboots.
 * /var/tmp is writable by anyone, so the directory must be a real one owned by root and
 * writable by root alone: one prepared by someone else (a symlink, another owner) is refused.
 */
export async function postgresHome(checkout: string): Promise<string> {
  const key = createHash('sha256').update(await realpath(checkout)).digest('hex').slice(0, 16);
  const base = existsSync('/var/tmp') ? '/var/tmp' : dirname(checkout);
  const home = join(base, `agentledger-postgres-${key}`);
  await mkdir(home, { recursive: true, mode: 0o711 });
  const info = await lstat(home);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw new StartError(`${home} is not a directory owned and writable by root alone; remove it, or set DATABASE_URL`);
  }
  return home;
}

/**
 * The PostgreSQL binaries (`native/`: bin, lib, share) where the `postgres` user can run them: as
 * they are when it can reach them, else a copy in `home()` (once per version, root-owned, readable
 * and executable by all, as the package's own are).
 */
export async function reachableBinaries(nativeDir: string, version: string, home: () => Promise<string>, user: UserIds): Promise<{ nativeDir: string; copied: boolean }> {
  if (await reachableBy(join(nativeDir, 'bin'), user)) return { nativeDir, copied: false };
  const target = join(await home(), `native-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const partial = `${target}.partial-${process.pid}`;
    await cp(nativeDir, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await rename(partial, target);
  }
  return { nativeDir: target, copied: true };
}
