import { ConfigError } from '@agentledger/observability';

/** The custom attributes rolled up per hour when ATTRIBUTION_ROLLUP_ATTRIBUTES is not set. */
export const DEFAULT_ROLLUP_ATTRIBUTES: readonly string[] = ['customer', 'feature'];

const KEY = /^[A-Za-z0-9_.:/-]{1,64}$/;
const MAX_KEYS = 16;

/**
 * Reads ATTRIBUTION_ROLLUP_ATTRIBUTES: comma-separated attribute keys (`customer,feature`),
 * each 1–64 of `A-Z a-z 0-9 _ . : / -`, no duplicates, at most 16. Unset means the default;
 * set but empty means none.
 */
export function parseRollupAttributes(env: NodeJS.ProcessEnv): readonly string[] {
  const raw = env.ATTRIBUTION_ROLLUP_ATTRIBUTES;
  if (raw === undefined) return DEFAULT_ROLLUP_ATTRIBUTES;
  const keys = raw
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
  const problems: string[] = [];
  for (const key of keys) if (!KEY.test(key)) problems.push(`"${key}" is not a valid attribute key (1-64 of A-Z a-z 0-9 _ . : / -)`);
  const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index);
  if (duplicates.length) problems.push(`duplicate keys: ${[...new Set(duplicates)].join(', ')}`);
  if (keys.length > MAX_KEYS) problems.push(`at most ${MAX_KEYS} keys, got ${keys.length}`);
  if (problems.length) {
    throw new ConfigError(
      problems.map((problem) => ({ variable: 'ATTRIBUTION_ROLLUP_ATTRIBUTES', problem })),
      'attribution',
    );
  }
  return keys;
}
