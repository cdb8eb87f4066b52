import type { JsMsg } from '@nats-io/jetstream';
import { CONSUMERS, PermanentError, type Namespace } from '@agentledger/jetstream';
import { formatDecimal } from '@agentledger/money';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { PrismaTx, Tx } from '../db.js';
import { raiseThresholdAlerts } from '../alerts/threshold-alerts.js';
import type { BudgetEvent } from './budget.js';
import { budgetEventFromWire } from './budget-wire.js';
import { reconcileTenantPauses } from '../pauses/pauses.js';

export interface SequencedBudgetEvent {
  readonly event: BudgetEvent;
  readonly streamSequence: number;
}

/**
 * A budget event into the read model, only if it is newer than what the row holds: the command
 * handler records its own event at once (read-your-writes), the consumer meets it again later.
 */
export async function recordBudgetEvent(tx: Pick<Tx, '$executeRawUnsafe'>, { event, streamSequence }: SequencedBudgetEvent): Promise<void> {
  const { tenant, budgetId } = event.data;
  if (event.type === 'BudgetDeleted') {
    await tx.$executeRawUnsafe(
      `UPDATE budget SET deleted = true, set_by = $3, set_at = $4, stream_sequence = $5 WHERE tenant = $1 AND budget_id = $2 AND stream_sequence < $5`,
      tenant,
      budgetId,
      event.metadata.by,
      event.metadata.at,
      streamSequence,
    );
    return;
  }
  const { settings } = event.data;
  await tx.$executeRawUnsafe(
    `INSERT INTO budget (tenant, budget_id, name, scope, scope_id, period, "limit", thresholds, enforcement, time_zone, webhook_url, set_by, set_at, stream_sequence)
     VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::integer[], $9, $10, $11, $12, $13, $14)
     ON CONFLICT (tenant, budget_id) DO UPDATE SET name = EXCLUDED.name, scope = EXCLUDED.scope, scope_id = EXCLUDED.scope_id, period = EXCLUDED.period,
       "limit" = EXCLUDED."limit", thresholds = EXCLUDED.thresholds, enforcement = EXCLUDED.enforcement, time_zone = EXCLUDED.time_zone,
       webhook_url = EXCLUDED.webhook_url, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at, stream_sequence = EXCLUDED.stream_sequence, deleted = false
     WHERE budget.stream_sequence < EXCLUDED.stream_sequence`,
    tenant,
    budgetId,
    settings.name,
    settings.scope,
    settings.scopeId,
    settings.period,
    formatDecimal(settings.limit),
    settings.thresholds,
    settings.enforcement,
    settings.timeZone,
    settings.webhookUrl,
    event.metadata.by,
    event.metadata.at,
    streamSequence,
  );
}

/**
 * Budget events (FINOPS_BUDGETS) → the budgets read model; a replay arrives at the same rows.
 * Keyed by the event's id. A reactor: a budget set while already past thresholds raises those
 * alerts at once (once each, with the ledger of raised alerts, staged in the outbox), and the
 * tenant's budget pauses follow the new settings — a BLOCK budget set below its spend pauses its
 * scope, a limit raised above `spent`, a deletion or a switch to ALERT lifts the pause.
 */
export function budgetsProjection(deps: { readonly ns: Namespace; readonly clock: () => Date; readonly afterCommit?: () => void }): ProjectionDefinition<SequencedBudgetEvent, PrismaTx> {
  return {
    name: 'budgeting-budgets',
    consumer: CONSUMERS.budgetingBudgets,
    tables: ['budget'],
    emits: true,
    afterCommit: deps.afterCommit,
    decode(msg: JsMsg) {
      try {
        const id = msg.headers?.get('Nats-Msg-Id') || `${msg.subject}:${msg.seq}`;
        return { key: `budget:${id}`, event: { event: budgetEventFromWire(msg.data), streamSequence: msg.seq } };
      } catch (error) {
        throw new PermanentError(`undecodable budget event: ${(error as Error).message}`, 'undecodable');
      }
    },
    async apply(tx, events) {
      for (const sequenced of events) {
        await recordBudgetEvent(tx, sequenced);
        const { event } = sequenced;
        // Only the budget's latest settings raise: a replayed older setting never alerts.
        if (event.type === 'BudgetSet' && (await isLatest(tx, event.data.tenant, event.data.budgetId, sequenced.streamSequence))) {
          await raiseThresholdAlerts(tx, deps.ns, event.data.tenant, { budgetId: event.data.budgetId, settings: event.data.settings }, deps.clock());
        }
      }
      for (const tenant of new Set(events.map((sequenced) => sequenced.event.data.tenant))) await reconcileTenantPauses(tx, tenant, deps.clock());
    },
  };
}

async function isLatest(tx: PrismaTx, tenant: string, budgetId: string, streamSequence: number): Promise<boolean> {
  const row = await tx.budget.findUnique({ where: { tenant_budgetId: { tenant, budgetId } }, select: { streamSequence: true, deleted: true } });
  return row !== null && !row.deleted && Number(row.streamSequence) === streamSequence;
}
