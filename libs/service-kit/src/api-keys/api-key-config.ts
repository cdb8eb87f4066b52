import type { ConfigProblem, CustomParse } from '@agentledger/observability';
import { ApiKeyListError, ApiKeyRing } from './api-key-ring.js';
import { KEY_GENERATION_HINT, MIN_PRODUCTION_KEY_LENGTH } from './key-strength.js';

/** `AGENTLEDGER_API_KEYS` as a configuration field's parser: the ring, or every bad entry. */
export function readApiKeyRing(list: string): CustomParse<ApiKeyRing> {
  try {
    return { value: ApiKeyRing.parse(list) };
  } catch (error) {
    if (error instanceof ApiKeyListError) return { problems: error.problems };
    throw error;
  }
}

/** The `AGENTLEDGER_API_KEYS` field of a service that authenticates callers. */
export function apiKeysField(description: string) {
  return { kind: 'custom', parse: readApiKeyRing, required: false, secret: true, description } as const;
}

/** `NODE_ENV`: `production` refuses missing, placeholder and weak keys. */
export const nodeEnvField = {
  kind: 'string',
  default: 'development',
  description: `production refuses placeholder or weak API keys (each at least ${MIN_PRODUCTION_KEY_LENGTH} random characters)`,
} as const;

/**
 * In production every configured key must look generated: no `CHANGE_ME`, no example, nothing
 * short or repetitive. Outside production anything parsable goes, so the development keys of
 * the contract (`key1=tenantA:admin`) keep working.
 */
export function productionApiKeyProblems(nodeEnv: string, keys: ApiKeyRing | undefined): ConfigProblem[] {
  if (nodeEnv !== 'production' || !keys) return [];
  return keys.weakKeys.map((problem) => ({ variable: 'AGENTLEDGER_API_KEYS', problem: `${problem}; NODE_ENV is production, ${KEY_GENERATION_HINT}` }));
}
