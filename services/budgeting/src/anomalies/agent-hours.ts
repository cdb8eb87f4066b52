import { CostKind, fromTimestamp, type PricedCost } from '@agentledger/contracts';
import { formatDecimal, fromStored, parseDecimal, ZERO, type Decimal } from '@agentledger/money';
import type { Tx } from '../db.js';

const HOUR_MS = 3_600_000;

/** The UTC hour an event time falls in. */
export const hourOf = (time: Date): Date => new Date(Math.floor(time.getTime() / HOUR_MS) * HOUR_MS);

/** An agent's hour as it stands after a batch. */
export interface AgentHour {
  readonly tenant: string;
  readonly agentId: string;
  readonly hourStart: Date;
  readonly cost: Decimal;
  readonly calls: number;
  readonly retries: number;
}

/**
 * Adds the batch's costs to each agent's hours (priced calls count as calls, those with
 * `attempt > 1` as retries; corrections move the cost only) and answers the hours it touched,
 * with their new totals — one statement for the batch.
 */
export async function recordAgentHours(tx: Tx, costs: readonly PricedCost[]): Promise<AgentHour[]> {
  const hours = new Map<string, { tenant: string; agent_id: string; hour_start: Date; cost: Decimal; calls: number; retries: number }>();
  for (const cost of costs) {
    const agentId = cost.common?.agentId ?? '';
    if (agentId === '') continue;
    const hourStart = hourOf(fromTimestamp(cost.time));
    const key = `${cost.tenant}\u0000${agentId}\u0000${hourStart.getTime()}`;
    const row = hours.get(key) ?? { tenant: cost.tenant, agent_id: agentId, hour_start: hourStart, cost: ZERO, calls: 0, retries: 0 };
    row.cost = row.cost.plus(parseDecimal(cost.cost));
    if (cost.kind !== CostKind.CORRECTION) {
      row.calls += 1;
      if (cost.attempt > 1) row.retries += 1;
    }
    hours.set(key, row);
  }
  if (hours.size === 0) return [];
  const values = [...hours.values()];
  const rows = await tx.$queryRawUnsafe<Array<{ tenant: string; agent_id: string; hour_start: Date; cost: string; calls: number; retries: number }>>(
    `INSERT INTO agent_hour (tenant, agent_id, hour_start, cost, calls, retries)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[], $5::integer[], $6::integer[])
     ON CONFLICT (tenant, agent_id, hour_start) DO UPDATE
       SET cost = agent_hour.cost + EXCLUDED.cost, calls = agent_hour.calls + EXCLUDED.calls, retries = agent_hour.retries + EXCLUDED.retries
     RETURNING tenant, agent_id, hour_start, cost::text AS cost, calls, retries`,
    values.map((row) => row.tenant),
    values.map((row) => row.agent_id),
    values.map((row) => row.hour_start),
    values.map((row) => formatDecimal(row.cost)),
    values.map((row) => row.calls),
    values.map((row) => row.retries),
  );
  return rows.map((row) => ({
    tenant: row.tenant,
    agentId: row.agent_id,
    hourStart: new Date(row.hour_start),
    cost: fromStored(row.cost),
    calls: row.calls,
    retries: row.retries,
  }));
}

/** The agent's hours before `hourStart`, one value per hour from its first hour on (at most `windowHours`), zero-filled, oldest first. */
export async function hourlyHistory(tx: Tx, agentHour: AgentHour, windowHours: number, measure: 'cost' | 'retries'): Promise<Decimal[]> {
  const from = new Date(agentHour.hourStart.getTime() - windowHours * HOUR_MS);
  const [first] = await tx.$queryRawUnsafe<Array<{ first: Date | null }>>(
    'SELECT min(hour_start) AS first FROM agent_hour WHERE tenant = $1 AND agent_id = $2',
    agentHour.tenant,
    agentHour.agentId,
  );
  const start = first?.first && new Date(first.first) > from ? new Date(first.first) : from;
  const rows = await tx.$queryRawUnsafe<Array<{ hour_start: Date; value: string }>>(
    `SELECT hour_start, ${measure}::text AS value FROM agent_hour WHERE tenant = $1 AND agent_id = $2 AND hour_start >= $3 AND hour_start < $4`,
    agentHour.tenant,
    agentHour.agentId,
    start,
    agentHour.hourStart,
  );
  const byHour = new Map(rows.map((row) => [new Date(row.hour_start).getTime(), fromStored(row.value)]));
  const history: Decimal[] = [];
  for (let hour = start.getTime(); hour < agentHour.hourStart.getTime(); hour += HOUR_MS) history.push(byHour.get(hour) ?? ZERO);
  return history;
}
