// The services' configuration contract, as every deployment description must carry it.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export const serviceNames = ['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory', 'gateway'] as const;
export type ServiceName = (typeof serviceNames)[number];

export interface ServiceContract {
  /** The variable that carries the HTTP port (/healthz, /readyz, /metrics). */
  portVariable: string;
  port: number;
  /** Reachable from outside the system (published by compose, open ingress in k8s). */
  public: boolean;
  /** Has its own schema, and its own database role owning it (the gateway has no database). */
  database: boolean;
}

export const services: Record<ServiceName, ServiceContract> = {
  ingestion: { portVariable: 'INGESTION_PORT', port: 4318, public: true, database: true },
  pricing: { portVariable: 'PRICING_PORT', port: 4101, public: false, database: true },
  attribution: { portVariable: 'ATTRIBUTION_PORT', port: 4102, public: false, database: true },
  budgeting: { portVariable: 'BUDGETING_PORT', port: 4103, public: false, database: true },
  inventory: { portVariable: 'INVENTORY_PORT', port: 4104, public: false, database: true },
  gateway: { portVariable: 'GATEWAY_PORT', port: 4000, public: true, database: false },
};

/** Variables every service reads, whatever its name. */
export const commonVariables = ['NATS_URL', 'LOG_LEVEL', 'NODE_ENV'] as const;
/** Variables of a service with a database. */
export const databaseVariables = ['DATABASE_URL', 'DATABASE_SCHEMA'] as const;
/** Services with a schema and a role of their own. */
export const databaseServiceNames = serviceNames.filter((name) => services[name].database);

/** Variables only some services read. */
export const extraVariables: Partial<Record<ServiceName, readonly string[]>> = {
  // Ingestion's HTTP, OTLP and SaaS intake authenticate with the same keys as the gateway.
  ingestion: ['AGENTLEDGER_API_KEYS'],
  gateway: ['AGENTLEDGER_API_KEYS'],
};

export const natsClientPort = 4222;
export const postgresPort = 5432;
export const namespace = 'agentledger';
export const imageFor = (service: ServiceName): string => `ghcr.io/agentledger/${service}:0.1.0`;

export function requiredVariables(service: ServiceName): string[] {
  return [...commonVariables, ...(services[service].database ? databaseVariables : []), services[service].portVariable, ...(extraVariables[service] ?? [])];
}
