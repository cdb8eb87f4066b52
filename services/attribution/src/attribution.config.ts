import type { ConfigSpec } from '@agentledger/observability';
import { rollupAttributesField } from './costs/rollup-attributes.js';

/** The attribution service's own variables (the base ones are service-kit's). */
export const attributionConfig = {
  ATTRIBUTION_ROLLUP_ATTRIBUTES: rollupAttributesField,
} as const satisfies ConfigSpec;
