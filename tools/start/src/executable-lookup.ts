import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finds a program on PATH, then in `extraDirs`. The extra directories matter because Debian's
 * nats-server package installs to /usr/sbin, which is not on a normal user's PATH.
 */
export function findExecutable(name: string, pathVariable: string | undefined, extraDirs: readonly string[]): string | undefined {
  const dirs = [...(pathVariable ?? '').split(delimiter).filter((dir) => dir !== ''), ...extraDirs];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
