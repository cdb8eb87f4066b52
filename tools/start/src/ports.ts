import { StartError } from './start-error.js';

/** Reads a TCP port from the environment, so a typo fails at start-up instead of in a child. */
export function readPort(env: NodeJS.ProcessEnv, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new StartError(`${variable} must be a TCP port between 1 and 65535, got ${JSON.stringify(raw)}`);
  }
  return port;
}
