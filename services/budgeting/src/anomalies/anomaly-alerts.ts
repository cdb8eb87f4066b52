import { createHash } from 'node:crypto';
import type { AlertView } from '@agentledger/contracts';
import type { Namespace } from '@agentledger/jetstream';
import { Decimal, formatDecimal } from '@agentledger/money';
import type { Tx } from '../db.js';
import { recordAlerts } from '../alerts/record-alerts.js';
import { hourlyHistory, type AgentHour } from './agent-hours.js';
import { judgeHour, ruleWith, type BaselineRule } from './baseline.js';

export interface AnomalyRules {
  /** SPEND_ANOMALY: the hour's spend (USD) against the agent's hourly spend. */
  readonly spend: BaselineRule;
  /** RETRY_STORM: the hour's retries against the agent's hourly retries. */
  readonly retries: BaselineRule;
}

type AnomalyKind = 'SPEND_ANOMALY' | 'RETRY_STORM';

/** One id per (tenant, kind, agent, hour): at most one alert of a kind per agent and hour. */
export const anomalyIdOf = (tenant: string, kind: AnomalyKind, agentId: string, hourStart: Date) =>
  createHash('sha256').update(`${tenant}\u0000${kind}\u0000${agentId}\u0000${hourStart.toISOString()}`).digest('hex').slice(0, 32);

const HOUR_MS = 3_600_000;
const utcHour = (hour: Date) => `${hour.toISOString().slice(0, 13)}:00 UTC`;

/**
 * Judges the agent hours a batch touched — only the hour in progress and the one before it, so
 * anomalies page within seconds of the spend and never for history replayed — and raises
 * SPEND_ANOMALY / RETRY_STORM once per agent and hour, in the batch's transaction.
 */
export async function raiseAnomalies(tx: Tx, ns: Namespace, touched: readonly AgentHour[], rules: AnomalyRules, now: Date): Promise<AlertView[]> {
  const recent = now.getTime() - 2 * HOUR_MS;
  const candidates = new Map<string, AlertView[]>();
  for (const hour of touched) {
    if (hour.hourStart.getTime() <= recent || hour.hourStart > now) continue;
    const judged: Array<{ kind: AnomalyKind; current: Decimal; rule: BaselineRule; measure: 'cost' | 'retries' }> = [
      { kind: 'SPEND_ANOMALY', current: hour.cost, rule: rules.spend, measure: 'cost' },
      { kind: 'RETRY_STORM', current: new Decimal(hour.retries), rule: rules.retries, measure: 'retries' },
    ];
    for (const { kind, current, rule, measure } of judged) {
      if (current.lt(rule.minimum)) continue;
      const id = anomalyIdOf(hour.tenant, kind, hour.agentId, hour.hourStart);
      const [seen] = await tx.$queryRawUnsafe<Array<{ alert_id: string }>>('SELECT alert_id FROM budget_alert WHERE tenant = $1 AND alert_id = $2', hour.tenant, id);
      if (seen) continue;
      const judgement = judgeHour(current, await hourlyHistory(tx, hour, rule.windowHours, measure), rule);
      if (!judgement.anomalous) continue;
      const alert: AlertView = {
        id,
        kind,
        budgetId: null,
        threshold: null,
        agentId: hour.agentId,
        spent: formatDecimal(hour.cost),
        limit: null,
        periodStart: hour.hourStart.toISOString(),
        message:
          kind === 'SPEND_ANOMALY'
            ? `Agent ${hour.agentId} spent ${formatDecimal(hour.cost)} USD in the hour from ${utcHour(hour.hourStart)}, far above its usual ${formatDecimal(judgement.median.toDecimalPlaces(6))} USD per hour (alerting above ${formatDecimal(judgement.threshold!.toDecimalPlaces(6))})`
            : `Agent ${hour.agentId} retried ${hour.retries} times in the hour from ${utcHour(hour.hourStart)}, far above its usual ${formatDecimal(judgement.median.toDecimalPlaces(6))} per hour (alerting above ${formatDecimal(judgement.threshold!.toDecimalPlaces(6))})`,
        at: now.toISOString(),
      };
      candidates.set(hour.tenant, [...(candidates.get(hour.tenant) ?? []), alert]);
    }
  }
  const raised: AlertView[] = [];
  for (const [tenant, alerts] of candidates) raised.push(...(await recordAlerts(tx, ns, tenant, alerts)));
  return raised;
}

/** The rules unless configured otherwise: a page needs at least 1 USD in the hour, or 20 retries. */
export const DEFAULT_ANOMALY_RULES: AnomalyRules = { spend: ruleWith(new Decimal('1')), retries: ruleWith(new Decimal(20)) };
