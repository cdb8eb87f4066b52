import type { BudgetingDb } from '../db.js';

const PAGE = 5_000;

/**
 * Forgets what budgeting no longer needs, a page at a time: webhook deliveries delivered or given
 * up on before the cut-off, and hourly agent figures from before it (anomalies judge an hour
 * against the week before it, so a retention above 7 days changes no judgement). Alerts and
 * spend are kept. Answers how many rows of each went.
 */
export async function pruneHistory(db: Pick<BudgetingDb, '$executeRawUnsafe'>, now: Date, retentionDays: number): Promise<{ deliveries: number; agentHours: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const pages = async (sql: string) => {
    let deleted = 0;
    for (let page = PAGE; page === PAGE; deleted += page) page = await db.$executeRawUnsafe(sql, cutoff, PAGE);
    return deleted;
  };
  return {
    deliveries: await pages(
      `DELETE FROM webhook_delivery WHERE ctid IN (SELECT ctid FROM webhook_delivery WHERE delivered_at < $1 OR failed_at < $1 LIMIT $2)`,
    ),
    agentHours: await pages(`DELETE FROM agent_hour WHERE ctid IN (SELECT ctid FROM agent_hour WHERE hour_start < $1 LIMIT $2)`),
  };
}
