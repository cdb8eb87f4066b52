import type { FieldSpec } from '@agentledger/observability';

/** The custom attributes rolled up per hour when ATTRIBUTION_ROLLUP_ATTRIBUTES is not set. */
export const DEFAULT_ROLLUP_ATTRIBUTES: readonly string[] = ['customer', 'feature'];

/**
 * ATTRIBUTION_ROLLUP_ATTRIBUTES: comma-separated attribute keys (`customer,feature`), each 1–64
 * of `A-Z a-z 0-9 _ . : / -`, no duplicates, at most 16 (each is a rollup column of work per
 * priced cost). Unset means the default; set but empty means none.
 */
export const rollupAttributesField = {
  kind: 'list',
  item: { pattern: /^[A-Za-z0-9_.:/-]{1,64}$/, name: 'attribute key (1-64 of A-Z a-z 0-9 _ . : / -)' },
  maxItems: 16,
  emptyMeansNone: true,
  default: DEFAULT_ROLLUP_ATTRIBUTES,
  description: 'custom attributes rolled up per hour, comma-separated; empty for none',
} as const satisfies FieldSpec;
