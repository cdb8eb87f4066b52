import { join } from 'node:path';
import { withServiceProcessSettings } from '@agentledger/service-kit/process-settings';
import { readPort } from './ports.js';
import { StartError } from './start-error.js';

/** The processes `npm start` runs, in start order: producers of events before their readers. */
export const SERVICES = [
  { name: 'ingestion', portVariable: 'INGESTION_PORT', defaultPort: 4318 },
  { name: 'pricing', portVariable: 'PRICING_PORT', defaultPort: 4101 },
  { name: 'attribution', portVariable: 'ATTRIBUTION_PORT', defaultPort: 4102 },
  { name: 'budgeting', portVariable: 'BUDGETING_PORT', defaultPort: 4103 },
  { name: 'inventory', portVariable: 'INVENTORY_PORT', defaultPort: 4104 },
  { name: 'gateway', portVariable: 'GATEWAY_PORT', defaultPort: 4000 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];
export type PortVariable = (typeof SERVICES)[number]['portVariable'];
export type ServicePorts = Record<PortVariable, number>;

/** What every service is told about the shared infrastructure. */
export interface SharedSettings {
  natsUrl: string;
  databaseUrl: string;
  apiKeys: string;
  /** The generated development key, for the gateway's GraphiQL to pre-fill; never set in production. */
  devApiKey?: string;
  /** Each service's NATS user, when `npm start` runs its own nats-server with authorization. */
  natsCredentials?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface ServicePlan {
  name: ServiceName;
  port: number;
  /** Entry point relative to the repository root, which is also the child's cwd. */
  entry: string;
  readyUrl: string;
  env: Record<string, string>;
}

/** Every service port, from the environment or the contract's defaults; clashes fail early. */
export function readServicePorts(env: NodeJS.ProcessEnv): ServicePorts {
  const ports = {} as ServicePorts;
  const owners = new Map<number, PortVariable>();
  for (const service of SERVICES) {
    const port = readPort(env, service.portVariable, service.defaultPort);
    const owner = owners.get(port);
    if (owner !== undefined) {
      throw new StartError(`${service.portVariable} and ${owner} are both ${port}; each service needs its own port`);
    }
    owners.set(port, service.portVariable);
    ports[service.portVariable] = port;
  }
  return ports;
}

/**
 * Command line and environment of each service. Every service gets every port, so the gateway
 * (or anything else) can find its peers; the schema is the service's own name because each
 * service owns its schema and migrates it itself.
 */
export function planServices(baseEnv: NodeJS.ProcessEnv, ports: ServicePorts, shared: SharedSettings): ServicePlan[] {
  const inherited = Object.fromEntries(
    Object.entries(baseEnv).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const portEnv = Object.fromEntries(Object.entries(ports).map(([variable, port]) => [variable, String(port)]));
  return SERVICES.map((service) => {
    const port = ports[service.portVariable];
    return {
      name: service.name,
      port,
      entry: join('services', service.name, 'dist', 'main.js'),
      readyUrl: `http://127.0.0.1:${port}/readyz`,
      // Started as the image and the manifests start it: the young generation's size and the allocator's arenas.
      env: withServiceProcessSettings({
        // A development stack on one machine: budget webhooks may reach a receiver running on it.
        BUDGETING_WEBHOOK_PRIVATE_NETWORKS: 'true',
        ...inherited,
        ...portEnv,
        NATS_URL: shared.natsUrl,
        ...shared.natsCredentials?.[service.name],
        DATABASE_URL: shared.databaseUrl,
        DATABASE_SCHEMA: service.name,
        AGENTLEDGER_API_KEYS: shared.apiKeys,
        ...(shared.devApiKey === undefined ? {} : { AGENTLEDGER_DEV_API_KEY: shared.devApiKey }),
      }),
    };
  });
}
