/**
 * Bytes on disk of the exactly-once ledgers per event, before and after "cheaper exactly-once"
 * (`node tools/bench/dist/ledger-size.bench.js [events]`, PostgreSQL at DATABASE_URL or the
 * test database). For each llm.call event the pipeline used to write six ledger rows in
 * `projection_applied`: ingestion's dedupe key, pricing's usage, attribution's facts and costs,
 * budgeting's spend and inventory's activity. Now pricing and attribution are their own
 * idempotency record (their unique keys existed already: no byte added), and the three others
 * write one fixed-width row each in `applied_key`. Each ledger is filled in batches of 500 as a
 * consumer does — the old one with the statement it used, the new one with `applyOnce` itself —
 * in a schema of its own, then measured with `pg_total_relation_size` (heap, B-tree, free-space map).
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { applyOnce, APPLIED_KEY_MIGRATION, PROJECTION_STORE_MIGRATION, type SqlExecutor, type TransactionalDb } from '@agentledger/projections';

const connectionString = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const events = Number(process.argv[2] ?? 100_000);
const BATCH = 500;

/** The keys one llm.call event leaves in each ledger, as the services build them. */
function keysOf(n: number): { dedupe: string; fact: string; cost: string } {
  const source = 'agent://support-bot';
  const id = randomUUID();
  return {
    dedupe: createHash('sha256').update(`acme\u0000${source}\u0000${id}-${n}`).digest('base64url'),
    fact: `acme|${source}|${id}`,
    cost: `acme|${source}|${id}`,
  };
}

const BEFORE = [
  { projection: 'ingestion-dedupe', key: (k: ReturnType<typeof keysOf>) => k.dedupe },
  { projection: 'pricing-usage', key: (k: ReturnType<typeof keysOf>) => k.fact },
  { projection: 'attribution-facts', key: (k: ReturnType<typeof keysOf>) => k.fact },
  { projection: 'attribution-costs', key: (k: ReturnType<typeof keysOf>) => k.cost },
  { projection: 'budgeting-spend', key: (k: ReturnType<typeof keysOf>) => k.cost },
  { projection: 'inventory-activity', key: (k: ReturnType<typeof keysOf>) => k.fact },
];
const AFTER = BEFORE.filter((ledger) => ['ingestion-dedupe', 'budgeting-spend', 'inventory-activity'].includes(ledger.projection));

async function withSchema<T>(name: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await client.query(`CREATE SCHEMA "${name}"`);
    await client.query(`SET search_path TO "${name}"`);
    return await run(client);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await client.end();
  }
}

function transactional(client: pg.Client): TransactionalDb {
  const tx: SqlExecutor = {
    $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await client.query(query, values)).rows as T,
    $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await client.query(query, values)).rowCount ?? 0,
  };
  return {
    async $transaction(fn) {
      await client.query('BEGIN');
      try {
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}

const size = async (client: pg.Client, table: string) => Number((await client.query<{ bytes: string }>(`SELECT pg_total_relation_size($1)::text AS bytes`, [table])).rows[0]!.bytes);

async function main(): Promise<void> {
  const keys = Array.from({ length: events }, (_, n) => keysOf(n));
  const run = `bench_ledger_${process.pid}`;

  const before = await withSchema(`${run}_before`, async (client) => {
    await client.query(PROJECTION_STORE_MIGRATION.sql);
    for (const ledger of BEFORE) {
      for (let from = 0; from < events; from += BATCH) {
        // The statement applyOnce ran before: text keys, the projection's name in every row.
        await client.query(
          `INSERT INTO projection_applied (projection, event_key) SELECT $1, key FROM unnest($2::text[]) AS key ON CONFLICT DO NOTHING RETURNING event_key`,
          [ledger.projection, keys.slice(from, from + BATCH).map(ledger.key)],
        );
      }
    }
    return size(client, 'projection_applied');
  });

  const after = await withSchema(`${run}_after`, async (client) => {
    await client.query(PROJECTION_STORE_MIGRATION.sql);
    await client.query(APPLIED_KEY_MIGRATION.sql);
    const db = transactional(client);
    for (const ledger of AFTER) {
      for (let from = 0; from < events; from += BATCH) {
        const batch = keys.slice(from, from + BATCH).map((k) => ({ key: ledger.key(k), event: 1 }));
        await applyOnce(db, ledger.projection, batch, async () => undefined);
      }
    }
    return size(client, 'applied_key');
  });

  const perEvent = (bytes: number) => (bytes / events).toFixed(0);
  console.log(`ledger bytes on disk for ${events.toLocaleString('en')} llm.call events (pg_total_relation_size)`);
  console.log(`before: projection_applied, ${BEFORE.length} rows an event: ${(before / 2 ** 20).toFixed(1)} MiB, ${perEvent(before)} B/event, ${(before / events / BEFORE.length).toFixed(0)} B/row`);
  console.log(`after:  applied_key, ${AFTER.length} rows an event:        ${(after / 2 ** 20).toFixed(1)} MiB, ${perEvent(after)} B/event, ${(after / events / AFTER.length).toFixed(0)} B/row`);
  console.log(`        (pricing's and attribution's ledgers replaced by the unique keys their tables already had: 0 B)`);
  console.log(`ratio:  ${(after / before).toFixed(3)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
