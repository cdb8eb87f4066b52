import type { ConfigSpec } from '@agentledger/observability';
import { ApiKeys } from './http/api-keys.js';

/** The ingestion service's own variables (the base ones are service-kit's). */
export const ingestionConfig = {
  AGENTLEDGER_API_KEYS: {
    kind: 'custom',
    parse: ApiKeys.read,
    required: false,
    secret: true,
    description: 'API keys of the HTTP intake, key=tenant:role, comma-separated; unset, the HTTP intake answers 401',
  },
  INGESTION_RECENT_KEYS: {
    kind: 'int',
    min: 1,
    default: 50_000,
    description: 'dedupe keys remembered in memory before the durable ledger is asked',
  },
} as const satisfies ConfigSpec;
