import type { ConfigCheck, ConfigSpec } from '@agentledger/observability';
import { parseIdleAfter } from './agents/idle-after.js';

/** The inventory service's own variables (the base ones are service-kit's). */
export const inventoryConfig = {
  INVENTORY_IDLE_AFTER: {
    kind: 'string',
    default: '7d',
    description: 'how long after its last activity an agent is IDLE: whole minutes, hours or days, e.g. 90m, 36h, 7d',
  },
} as const satisfies ConfigSpec;

/** Checked with the others, so a bad duration stops the start with the rest of the problems. */
export const checkInventoryConfig: ConfigCheck<typeof inventoryConfig> = (values) =>
  parseIdleAfter(values.INVENTORY_IDLE_AFTER) === undefined
    ? [{ variable: 'INVENTORY_IDLE_AFTER', problem: `${JSON.stringify(values.INVENTORY_IDLE_AFTER)} is not a duration in whole minutes, hours or days, e.g. 90m, 36h, 7d` }]
    : [];
