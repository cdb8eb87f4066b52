import type { ConfigCheck, ConfigSpec } from '@agentledger/observability';
import { apiKeysField, nodeEnvField, productionApiKeyProblems } from '@agentledger/service-kit';

/** The ingestion service's own variables (the base ones are service-kit's). */
export const ingestionConfig = {
  AGENTLEDGER_API_KEYS: apiKeysField('API keys of the HTTP intake, key=tenant:role, comma-separated; unset, the HTTP intake answers 401 (required in production)'),
  NODE_ENV: { ...nodeEnvField, description: `production requires AGENTLEDGER_API_KEYS, and ${nodeEnvField.description}` },
  INGESTION_RECENT_KEYS: {
    kind: 'int',
    min: 1,
    default: 50_000,
    description: 'dedupe keys remembered in memory before the durable ledger is asked',
  },
} as const satisfies ConfigSpec;

/** In production the intake must have keys (without, it answers 401 to every agent), and none a placeholder. */
export const checkIngestionConfig: ConfigCheck<typeof ingestionConfig> = (values) =>
  values.NODE_ENV === 'production' && values.AGENTLEDGER_API_KEYS === undefined
    ? [{ variable: 'AGENTLEDGER_API_KEYS', problem: `is not set (${ingestionConfig.AGENTLEDGER_API_KEYS.description})` }]
    : productionApiKeyProblems(values.NODE_ENV, values.AGENTLEDGER_API_KEYS);
