import { ConfigError, parseConfig, type ConfigProblem, type ConfigSpec } from '@agentledger/observability';
import { ApiKeyListError, ApiKeyRing } from './auth/api-keys.js';
import type { QueryLimits } from './graphql/query-limits.js';

/** The keys of CONTRACT.md §C, used when none are configured outside production. */
export const DEVELOPMENT_API_KEYS = 'key1=tenantA:admin,key2=tenantA:viewer';

const gatewayConfigSpec = {
  AGENTLEDGER_API_KEYS: {
    kind: 'string',
    required: false,
    secret: true,
    description: 'API keys as key=tenant:role, comma-separated; role is admin or viewer',
  },
  AGENTLEDGER_API_KEYS_FILE: {
    kind: 'string',
    required: false,
    description: 'a JSON file of hashed API keys, written by `node services/gateway/dist/cli/api-keys.js`; reloaded on change',
  },
  NODE_ENV: { kind: 'string', default: 'development', description: 'production requires AGENTLEDGER_API_KEYS or AGENTLEDGER_API_KEYS_FILE' },
  GATEWAY_MAX_QUERY_DEPTH: { kind: 'int', default: 8, description: 'deepest field nesting a GraphQL operation may have' },
  GATEWAY_MAX_QUERY_FIELDS: { kind: 'int', default: 500, description: 'most fields a GraphQL operation may select' },
  GATEWAY_QUERY_TIMEOUT_MS: { kind: 'int', default: 10_000, description: 'how long to wait for a service to answer' },
} as const satisfies ConfigSpec;

export interface GatewayConfig {
  /** The keys of AGENTLEDGER_API_KEYS (or the development keys); the file's are added at start-up. */
  readonly apiKeys: ApiKeyRing;
  readonly apiKeysFile: string | undefined;
  readonly usingDevelopmentKeys: boolean;
  readonly limits: QueryLimits;
  readonly queryTimeoutMs: number;
}

/** Reads and checks the gateway's own variables; one `ConfigError` names every problem. */
export function parseGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const values = parseConfig(env, gatewayConfigSpec, 'gateway');
  const problems: ConfigProblem[] = [];
  for (const variable of ['GATEWAY_MAX_QUERY_DEPTH', 'GATEWAY_MAX_QUERY_FIELDS', 'GATEWAY_QUERY_TIMEOUT_MS'] as const) {
    if (values[variable] < 1) problems.push({ variable, problem: `${values[variable]} must be at least 1` });
  }
  const apiKeysFile = values.AGENTLEDGER_API_KEYS_FILE || undefined;
  const usingDevelopmentKeys = values.AGENTLEDGER_API_KEYS === undefined && apiKeysFile === undefined;
  if (usingDevelopmentKeys && values.NODE_ENV === 'production') {
    problems.push({ variable: 'AGENTLEDGER_API_KEYS', problem: `is not set (${gatewayConfigSpec.AGENTLEDGER_API_KEYS.description}), nor is AGENTLEDGER_API_KEYS_FILE` });
  }
  let apiKeys: ApiKeyRing | undefined;
  try {
    if (values.AGENTLEDGER_API_KEYS === undefined && apiKeysFile !== undefined) apiKeys = ApiKeyRing.EMPTY;
    else apiKeys = ApiKeyRing.parse(values.AGENTLEDGER_API_KEYS ?? DEVELOPMENT_API_KEYS);
  } catch (error) {
    if (!(error instanceof ApiKeyListError)) throw error;
    problems.push(...error.problems.map((problem) => ({ variable: 'AGENTLEDGER_API_KEYS', problem })));
  }
  if (problems.length > 0 || !apiKeys) throw new ConfigError(problems, 'gateway');
  return {
    apiKeys,
    apiKeysFile,
    usingDevelopmentKeys,
    limits: { maxDepth: values.GATEWAY_MAX_QUERY_DEPTH, maxFields: values.GATEWAY_MAX_QUERY_FIELDS },
    queryTimeoutMs: values.GATEWAY_QUERY_TIMEOUT_MS,
  };
}
