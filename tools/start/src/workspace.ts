import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root. Derived from this file's location (tools/start/{src,dist}/) rather than
 * the working directory, so `node tools/start/dist/main.js` works from anywhere.
 */
export const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Everything `npm start` keeps between runs (NATS store, Postgres cluster, dev API key). */
export const dataDir = join(workspaceRoot, '.data');
