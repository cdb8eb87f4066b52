import { SERVICE_NODE_OPTIONS, SERVICE_PROCESS_ENV } from '@agentledger/service-kit/process-settings';
import { DEFAULT_NATS_URL } from './nats-url.js';
import { SERVICES } from './service-table.js';

export const DEFAULT_EMBEDDED_PG_PORT = 5488;

/**
 * Every variable `npm start` reads itself, with its default: the shared infrastructure, the
 * ports of the services it runs, its own. Each service also reads (and checks) its own; the
 * README's variable table lists both, and a unit test keeps this list and the table in step.
 */
export const START_VARIABLES: Record<string, { readonly default?: string | number }> = {
  NATS_URL: { default: DEFAULT_NATS_URL },
  DATABASE_URL: {},
  EMBEDDED_PG_PORT: { default: DEFAULT_EMBEDDED_PG_PORT },
  AGENTLEDGER_API_KEYS: {},
  NO_COLOR: {},
  FORCE_COLOR: {},
  CPU_PROFILE_DIR: {},
  LOG_FORMAT: {},
  // Passed on to every service, after the services' own settings (withServiceProcessSettings).
  NODE_OPTIONS: { default: SERVICE_NODE_OPTIONS.join(' ') },
  MALLOC_ARENA_MAX: { default: SERVICE_PROCESS_ENV.MALLOC_ARENA_MAX },
  ...Object.fromEntries(SERVICES.map((service) => [service.portVariable, { default: service.defaultPort }])),
};
