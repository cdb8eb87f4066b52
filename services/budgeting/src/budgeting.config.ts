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
  BUDGETING_WEBHOOK_SECRET: {
    kind: 'string',
    required: false,
    secret: true,
    description: 'signs every webhook POST (X-AgentLedger-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">); unset: unsigned',
  },
  BUDGETING_WEBHOOK_PRIVATE_NETWORKS: {
    kind: 'bool',
    default: false,
    description: 'lets webhooks reach loopback, private and link-local addresses (npm start sets true); false: public addresses only',
  },
  BUDGETING_RETENTION_DAYS: {
    kind: 'int',
    min: 8,
    default: 30,
    description: 'days delivered or failed webhook deliveries and hourly agent figures are kept (anomalies look back 7 days)',
  },
} as const satisfies ConfigSpec;

/** Money is a decimal string, never a float: checked with the others, so a bad one stops the start. */
export const checkBudgetingConfig: ConfigCheck<typeof budgetingConfig> = (values) =>
  isDecimalString(values.BUDGETING_ANOMALY_MIN_SPEND) && !values.BUDGETING_ANOMALY_MIN_SPEND.startsWith('-')
    ? []
    : [{ variable: 'BUDGETING_ANOMALY_MIN_SPEND', problem: `${JSON.stringify(values.BUDGETING_ANOMALY_MIN_SPEND)} is not a decimal amount of at least 0, e.g. 1.00` }];
