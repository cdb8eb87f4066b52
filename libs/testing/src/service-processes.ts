import { createServer } from 'node:net';

/** The six deployables, and the variable that sets each one's HTTP port (`/readyz`, GraphQL, intake). */
export const SERVICE_PORT_VARIABLES = {
  ingestion: 'INGESTION_PORT',
  pricing: 'PRICING_PORT',
  attribution: 'ATTRIBUTION_PORT',
  budgeting: 'BUDGETING_PORT',
  inventory: 'INVENTORY_PORT',
  gateway: 'GATEWAY_PORT',
} as const;
export type ServiceName = keyof typeof SERVICE_PORT_VARIABLES;
export const SERVICE_NAMES = Object.keys(SERVICE_PORT_VARIABLES) as readonly ServiceName[];

/** A TCP port free on 127.0.0.1 right now, for a process a test starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
