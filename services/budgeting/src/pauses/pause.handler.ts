import type { ArgsOf, pauseCommand, PausedScopeView, resumeCommand } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { BudgetingDb } from '../db.js';
import { listPauses, pauseByHand, resumeScope } from './pauses.js';
import { pausedScopeView, type PauseScope } from './pause.js';

export interface PauseCommandDeps {
  readonly db: BudgetingDb;
  readonly clock: () => Date;
  /** Writes the change to the KV bucket before the command answers, so watchers see it by then. */
  readonly mirror: { flush(): Promise<void> };
}

/** `scopeId` is required unless the scope is TENANT (where it is ignored). */
function scopeOf(args: { scope: PauseScope['scope']; scopeId?: string | null }): PauseScope {
  if (args.scope === 'TENANT') return { scope: 'TENANT', scopeId: null };
  if (!args.scopeId) throw new QueryError('BAD_USER_INPUT', `scopeId: required for the ${args.scope} scope`);
  return { scope: args.scope, scopeId: args.scopeId };
}

/** `pause`: stops a scope until `resume` (a pause by hand replaces one its budget set). */
export async function handlePause(deps: PauseCommandDeps, request: QueryRequest<ArgsOf<typeof pauseCommand>>): Promise<PausedScopeView> {
  const scope = scopeOf(request.args);
  const pause = await deps.db.$transaction((tx) => pauseByHand(tx, request.tenant, { ...scope, reason: request.args.reason, by: request.actor ?? 'unknown', pausedAt: deps.clock() }));
  await deps.mirror.flush();
  return pausedScopeView(pause);
}

/** `resume`: lifts a scope's pause; false when it was not paused. */
export async function handleResume(deps: PauseCommandDeps, request: QueryRequest<ArgsOf<typeof resumeCommand>>): Promise<boolean> {
  const scope = scopeOf(request.args);
  const resumed = await deps.db.$transaction((tx) => resumeScope(tx, request.tenant, scope));
  await deps.mirror.flush();
  return resumed;
}

export async function listPausedScopes(db: BudgetingDb, tenant: string): Promise<PausedScopeView[]> {
  return (await listPauses(db, tenant)).map(pausedScopeView);
}
