import { factCodec, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { columnsOf, insertRowsStatement, type SqlExecutor } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import { factRecordOf, type FactRecordRow } from './fact-record.js';

export const FACTS_PROJECTION = 'attribution-facts';

/** The read model's tables, emptied by `rebuild`. */
export const FACT_TABLES = ['fact_record'] as const;

const FACT_RECORD_COLUMNS = columnsOf<FactRecordRow>({
  tenant: 'text',
  fact_key: 'text',
  type: 'text',
  time: 'timestamptz',
  agent_id: 'text',
  team: 'text',
  workflow: 'text',
  environment: 'text',
  trace_id: 'text',
  span_id: 'text',
  parent_span_id: 'text',
  attributes: 'jsonb',
  kind: 'text',
  name: 'text',
  provider: 'text',
  model: 'text',
  tool: 'text',
  attempt: 'integer',
  status: 'text',
  latency_ms: 'bigint',
  escalated_from: 'text',
  router: 'text',
  decision: 'text',
  outcome: 'text',
  success: 'boolean',
  quantity: 'numeric',
  value: 'numeric',
  time_saved_minutes: 'double precision',
  evaluator: 'text',
  metric: 'text',
  score: 'double precision',
  passed: 'boolean',
});

/**
 * Facts → `fact_record`, one row per fact, insert-only: runs, span trees, outcomes and
 * evaluations are derived at query time, so late and out-of-order facts land where they belong.
 */
export const factsProjection: ProjectionDefinition<FactRecordRow, SqlExecutor> = {
  name: FACTS_PROJECTION,
  consumer: CONSUMERS.attributionFacts,
  // Keyed by event identity only: another stream is reported, then followed.
  streamIndependent: true,
  // `fact_record (tenant, fact_key)` records what was applied: no ledger row per fact.
  idempotency: 'own-key',
  tables: FACT_TABLES,
  decode(msg) {
    let fact: CanonicalFact;
    try {
      fact = factCodec.decode(msg.data);
    } catch (error) {
      throw new PermanentError(`undecodable fact: ${(error as Error).message}`, 'undecodable');
    }
    let row: FactRecordRow | undefined;
    try {
      row = factRecordOf(fact);
    } catch (error) {
      throw new PermanentError(`invalid fact ${fact.source}|${fact.eventId}: ${(error as Error).message}`, 'invalid');
    }
    return row && { key: `${row.tenant}|${row.factKey}`, event: row };
  },
  async apply(tx, rows) {
    const insert = insertRowsStatement('fact_record', FACT_RECORD_COLUMNS, rows, 'ON CONFLICT (tenant, fact_key) DO NOTHING RETURNING tenant, fact_key');
    const inserted = await tx.$queryRawUnsafe<Array<{ tenant: string; fact_key: string }>>(insert.sql, ...insert.values);
    const fresh = new Set(inserted.map((row) => `${row.tenant}|${row.fact_key}`));
    return rows.filter((row) => fresh.has(`${row.tenant}|${row.factKey}`));
  },
};
