import { randomUUID } from 'node:crypto';
import type { ArgsOf, BudgetView, deleteBudgetCommand, setBudgetCommand } from '@agentledger/contracts';
import { handleCommand, type AggregateStore } from '@agentledger/event-sourcing';
import type { Namespace } from '@agentledger/jetstream';
import { answeringRejections, type QueryRequest } from '@agentledger/service-kit';
import type { BudgetingDb } from '../db.js';
import type { BudgetEvent } from './budget.js';
import { budgetView } from './budget-view.js';
import { budgetSubject } from './budget-wire.js';
import { recordBudgetEvent } from './budgets.projection.js';
import { budgetDecider } from './decider.js';
import { reconcileTenantPauses } from '../pauses/pauses.js';

export interface BudgetCommandDeps {
  /** The budget aggregates (FINOPS_BUDGETS, one subject per tenant and budget). */
  readonly store: AggregateStore<BudgetEvent>;
  readonly db: BudgetingDb;
  readonly ns: Namespace;
  readonly clock: () => Date;
  readonly newId?: () => string;
  /** Writes pause changes to the KV bucket (the pause mirror); without it they wait for its poll. */
  readonly pauses?: { flush(): Promise<void> };
}

/**
 * Records what a command appended in the read model at once, so the caller's next read (or
 * check) sees it — the budget and the pauses that follow from it (a raised limit lifts its pause).
 */
async function recordAppended(deps: BudgetCommandDeps, tenant: string, events: ReadonlyArray<{ event: BudgetEvent; sequence: number }>): Promise<void> {
  if (events.length === 0) return;
  await deps.db.$transaction(async (tx) => {
    for (const { event, sequence } of events) await recordBudgetEvent(tx, { event, streamSequence: sequence });
    await reconcileTenantPauses(tx, tenant, deps.clock());
  });
  await deps.pauses?.flush();
}

/** `setBudget`: without `id` a new budget (its id in the answer), with `id` that budget's settings replaced. */
export async function handleSetBudget(deps: BudgetCommandDeps, request: QueryRequest<ArgsOf<typeof setBudgetCommand>>): Promise<BudgetView> {
  const { id, ...input } = request.args;
  const budgetId = id ?? (deps.newId ?? randomUUID)();
  const now = deps.clock();
  return answeringRejections(async () => {
    const { state, events } = await handleCommand(deps.store, budgetDecider, budgetSubject(deps.ns, request.tenant, budgetId), {
      type: 'SetBudget',
      data: { tenant: request.tenant, budgetId, replacing: id !== undefined && id !== null, input },
      metadata: { actor: request.actor ?? 'unknown', now },
    });
    await recordAppended(deps, request.tenant, events);
    if (state.status !== 'active') throw new Error(`budget ${budgetId} is not active after setBudget`);
    return budgetView(deps.db, request.tenant, budgetId, state.settings, now);
  });
}

/** `deleteBudget`: true when a budget was deleted, false when the tenant had none by that id. */
export async function handleDeleteBudget(deps: BudgetCommandDeps, request: QueryRequest<ArgsOf<typeof deleteBudgetCommand>>): Promise<boolean> {
  const budgetId = request.args.id;
  return answeringRejections(async () => {
    const { events } = await handleCommand(deps.store, budgetDecider, budgetSubject(deps.ns, request.tenant, budgetId), {
      type: 'DeleteBudget',
      data: { tenant: request.tenant, budgetId },
      metadata: { actor: request.actor ?? 'unknown', now: deps.clock() },
    });
    await recordAppended(deps, request.tenant, events);
    return events.length > 0;
  });
}
