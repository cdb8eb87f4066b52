import { StartError } from './start-error.js';

export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
const DEFAULT_NATS_PORT = 4222;

/** One server of `NATS_URL` (which, as for the NATS clients, may list several, comma-separated). */
export interface NatsEndpoint {
  host: string;
  port: number;
  /** Only a loopback endpoint can be replaced by a nats-server we start ourselves. */
  loopback: boolean;
}

export function parseNatsUrls(value: string): NatsEndpoint[] {
  const endpoints = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(parseNatsUrl);
  if (endpoints.length === 0) throw new StartError(`NATS_URL is empty`);
  return endpoints;
}

export function parseNatsUrl(value: string): NatsEndpoint {
  // The NATS clients accept "host:port" without a scheme; URL needs one to find the host.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `nats://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new StartError(`NATS_URL has an unreadable server address: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'nats:' && url.protocol !== 'tls:') {
    throw new StartError(`NATS_URL must use nats:// or tls://, got ${JSON.stringify(value)}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new StartError(`NATS_URL has no host: ${JSON.stringify(value)}`);
  const port = url.port === '' ? DEFAULT_NATS_PORT : Number(url.port);
  return { host, port, loopback: isLoopback(host) };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
