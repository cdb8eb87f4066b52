import { z } from 'zod';
import { dateTimeString, decimalString } from './args.js';
import { defineCommand, defineQuery, returns } from './contract.js';

/** A budget as CONTRACT part D shows it: its settings and its current period (the one containing now, in its time zone). */
export interface BudgetView {
  id: string;
  name: string | null;
  scope: string;
  scopeId: string | null;
  period: string;
  limit: string;
  thresholds: number[];
  enforcement: string;
  timeZone: string;
  periodStart: string;
  periodEnd: string;
  spent: string;
  reserved: string;
  remaining: string;
  /** EXCEEDED when spent ≥ limit, else WARNING when spent ≥ the lowest threshold's amount, else OK. */
  status: string;
  forecast: string | null;
  projectedBreachAt: string | null;
}

const service = 'budgeting';

/** Shapes only: the budget's decider names every rule a value breaks (scope, limit > 0, thresholds, IANA zone). */
const budgetInput = z.object({
  id: z.string().min(1).max(200).nullish(),
  name: z.string().nullish(),
  scope: z.string(),
  scopeId: z.string().nullish(),
  period: z.string(),
  limit: decimalString(),
  thresholds: z.array(z.number().int()).nullish(),
  enforcement: z.string().nullish(),
  timeZone: z.string().nullish(),
  webhookUrl: z.string().nullish(),
});

export const setBudgetCommand = defineCommand({ service, name: 'setBudget', args: budgetInput, result: returns<BudgetView>() });

export const deleteBudgetCommand = defineCommand({ service, name: 'deleteBudget', args: z.object({ id: z.string().min(1) }), result: returns<boolean>() });

export const budgetsQuery = defineQuery({ service, name: 'budgets', args: z.object({}), result: returns<BudgetView[]>() });

export const budgetQuery = defineQuery({ service, name: 'budget', args: z.object({ id: z.string().min(1) }), result: returns<BudgetView | null>() });

/** An alert as CONTRACT part D shows it (and as the `alert.raised` CloudEvent carries it). */
export interface AlertView {
  id: string;
  /** BUDGET_THRESHOLD, BUDGET_EXCEEDED (the 100 % threshold); SPEND_ANOMALY, RETRY_STORM, AGENT_DISCOVERED to come. */
  kind: string;
  budgetId: string | null;
  threshold: number | null;
  agentId: string | null;
  spent: string | null;
  limit: string | null;
  periodStart: string | null;
  message: string;
  at: string;
}

/**
 * An alert as it travels (CONTRACT part D): a CloudEvent `alert.raised` in structured JSON mode
 * whose data is the Alert, on `finops.alerts.<tenant>`; `source` names the service that raised it.
 */
export function alertCloudEvent(alert: AlertView, service: string): Record<string, unknown> {
  return { specversion: '1.0', id: alert.id, source: `agentledger://${service}`, type: 'alert.raised', time: alert.at, datacontenttype: 'application/json', data: alert };
}

export const alertsQuery = defineQuery({
  service,
  name: 'alerts',
  args: z.object({ from: dateTimeString(), to: dateTimeString() }),
  result: returns<AlertView[]>(),
});

/** A paused scope as CONTRACT part D shows it (and as the KV bucket `finops_control` holds it). */
export interface PausedScopeView {
  scope: string;
  scopeId: string | null;
  reason: string;
  by: string;
  /** The BLOCK budget whose breach paused the scope; null for a pause by hand. */
  budgetId: string | null;
  pausedAt: string;
}

const scopeArgs = { scope: z.enum(['TENANT', 'TEAM', 'AGENT', 'WORKFLOW', 'ENVIRONMENT']), scopeId: z.string().max(200).nullish() };

export const pauseCommand = defineCommand({
  service,
  name: 'pause',
  args: z.object({ ...scopeArgs, reason: z.string().min(1).max(500) }),
  result: returns<PausedScopeView>(),
});

/** True when a pause was lifted, false when the scope was not paused. */
export const resumeCommand = defineCommand({ service, name: 'resume', args: z.object(scopeArgs), result: returns<boolean>() });

export const pausedScopesQuery = defineQuery({ service, name: 'pausedScopes', args: z.object({}), result: returns<PausedScopeView[]>() });
