import type { ConfigCheck, ConfigSpec } from '@agentledger/observability';
import { isDecimalString } from '@agentledger/money';

/** The budgeting service's own variables (the base ones are service-kit's). */
export const budgetingConfig = {
  BUDGETING_ANOMALY_MIN_SPEND: {
    kind: 'string',
    default: '1',
    description: 'the least an agent must spend in an hour (USD) before SPEND_ANOMALY can page, e.g. 1.00',
  },
  BUDGETING_RETRY_STORM_MIN: {
    kind: 'int',
    min: 1,
    default: 20,
    description: 'the least retries an agent must make in an hour before RETRY_STORM can page',
  },
} as const satisfies ConfigSpec;

/** Money is a decimal string, never a float: checked with the others, so a bad one stops the start. */
export const checkBudgetingConfig: ConfigCheck<typeof budgetingConfig> = (values) =>
  isDecimalString(values.BUDGETING_ANOMALY_MIN_SPEND) && !values.BUDGETING_ANOMALY_MIN_SPEND.startsWith('-')
    ? []
    : [{ variable: 'BUDGETING_ANOMALY_MIN_SPEND', problem: `${JSON.stringify(values.BUDGETING_ANOMALY_MIN_SPEND)} is not a decimal amount of at least 0, e.g. 1.00` }];
