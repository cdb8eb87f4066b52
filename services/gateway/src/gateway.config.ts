import type { ConfigCheck, ConfigSpec, ConfigValues } from '@agentledger/observability';
import { ApiKeyRing, apiKeysField, nodeEnvField, productionApiKeyProblems } from '@agentledger/service-kit';
import type { QueryLimits } from './graphql/query-limits.js';

/** The keys of CONTRACT.md §C, used when none are configured outside production. */
export const DEVELOPMENT_API_KEYS = 'key1=tenantA:admin,key2=tenantA:viewer';
const DEVELOPMENT_ADMIN_KEY = 'key1';

/** The gateway's own variables (the base ones are service-kit's). */
export const gatewayConfig = {
  AGENTLEDGER_API_KEYS: apiKeysField('API keys as key=tenant:role, comma-separated; role is admin or viewer'),
  AGENTLEDGER_API_KEYS_FILE: {
    kind: 'string',
    required: false,
    description: 'a JSON file of hashed API keys, written by `node services/gateway/dist/cli/api-keys.js`; reloaded on change',
  },
  AGENTLEDGER_DEV_API_KEY: {
    kind: 'string',
    required: false,
    description: 'the development key GraphiQL (GET /graphql in a browser) pre-fills; `npm start` sets it to its generated key; refused when NODE_ENV=production',
  },
  NODE_ENV: { ...nodeEnvField, description: `production requires AGENTLEDGER_API_KEYS or AGENTLEDGER_API_KEYS_FILE, and ${nodeEnvField.description}` },
  GATEWAY_MAX_QUERY_DEPTH: { kind: 'int', min: 1, default: 8, description: 'deepest field nesting a GraphQL operation may have' },
  GATEWAY_MAX_QUERY_FIELDS: { kind: 'int', min: 1, default: 500, description: 'most fields a GraphQL operation may select' },
  GATEWAY_QUERY_TIMEOUT_MS: {
    kind: 'int',
    min: 1,
    default: 10_000,
    description: 'how long to wait for a service to answer; keep it above the services’ QUERY_QUEUE_WAIT_MS + DATABASE_STATEMENT_TIMEOUT_MS, so their own errors reach the client',
  },
} as const satisfies ConfigSpec;

export type GatewayConfigValues = ConfigValues<typeof gatewayConfig>;

/** In production the development keys are never accepted: keys must be configured, and none a placeholder. */
export const checkGatewayConfig: ConfigCheck<typeof gatewayConfig> = (values) => {
  const production = values.NODE_ENV === 'production';
  // A key pre-filled on a page anyone can open is a development convenience only.
  const devKeyProblems = production && values.AGENTLEDGER_DEV_API_KEY !== undefined ? [{ variable: 'AGENTLEDGER_DEV_API_KEY', problem: 'must not be set when NODE_ENV=production (GraphiQL would show the key to anyone)' }] : [];
  const keyProblems =
    production && values.AGENTLEDGER_API_KEYS === undefined && values.AGENTLEDGER_API_KEYS_FILE === undefined
      ? [{ variable: 'AGENTLEDGER_API_KEYS', problem: `is not set (${gatewayConfig.AGENTLEDGER_API_KEYS.description}), nor is AGENTLEDGER_API_KEYS_FILE` }]
      : productionApiKeyProblems(values.NODE_ENV, values.AGENTLEDGER_API_KEYS);
  return [...keyProblems, ...devKeyProblems];
};

export interface GatewaySettings {
  /** The keys of AGENTLEDGER_API_KEYS (or the development keys); the file's are added at start-up. */
  readonly apiKeys: ApiKeyRing;
  readonly apiKeysFile: string | undefined;
  readonly usingDevelopmentKeys: boolean;
  readonly limits: QueryLimits;
  readonly queryTimeoutMs: number;
  /** The key GraphiQL pre-fills: never in production; the contract's admin development key when no keys are configured. */
  readonly graphiqlApiKey: string | undefined;
}

/** What the gateway's wiring needs, from its checked variables. */
export function gatewaySettings(values: GatewayConfigValues): GatewaySettings {
  const apiKeysFile = values.AGENTLEDGER_API_KEYS_FILE;
  const usingDevelopmentKeys = values.AGENTLEDGER_API_KEYS === undefined && apiKeysFile === undefined;
  const apiKeys = values.AGENTLEDGER_API_KEYS ?? (usingDevelopmentKeys ? ApiKeyRing.parse(DEVELOPMENT_API_KEYS) : ApiKeyRing.EMPTY);
  return {
    apiKeys,
    apiKeysFile,
    usingDevelopmentKeys,
    limits: { maxDepth: values.GATEWAY_MAX_QUERY_DEPTH, maxFields: values.GATEWAY_MAX_QUERY_FIELDS },
    queryTimeoutMs: values.GATEWAY_QUERY_TIMEOUT_MS,
    graphiqlApiKey: values.NODE_ENV === 'production' ? undefined : (values.AGENTLEDGER_DEV_API_KEY ?? (usingDevelopmentKeys ? DEVELOPMENT_ADMIN_KEY : undefined)),
  };
}
