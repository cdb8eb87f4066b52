import type { SqlExecutor } from './apply-once.js';
import { columnsOf, insertRows } from './insert-rows.js';

/**
 * The transactional outbox every service schema has: what a reactor emits is written here in
 * the same transaction as the state change that caused it, and published after commit.
 */
export const OUTBOX_MIGRATION = {
  name: '000_outbox',
  sql: `
CREATE TABLE IF NOT EXISTS outbox (
  id        BIGSERIAL PRIMARY KEY,
  subject   TEXT NOT NULL,
  msg_id    TEXT NOT NULL,
  payload   BYTEA NOT NULL,
  headers   JSONB NOT NULL DEFAULT '{}',
  staged_at TIMESTAMPTZ NOT NULL DEFAULT now()
);`,
};

/** A message to publish once the transaction that staged it has committed. */
export interface OutboxMessage {
  readonly subject: string;
  /** JetStream's msgID: the event's id, so a publish repeated after a crash is recognised. */
  readonly msgId: string;
  readonly payload: Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface StagedMessage extends OutboxMessage {
  readonly id: string;
}

const OUTBOX_COLUMNS = columnsOf<OutboxMessage>({ subject: 'text', msg_id: 'text', payload: 'bytea', headers: 'jsonb' });

/** Stages messages inside the caller's transaction: they exist if and only if it commits. */
export async function stageMessages(tx: Pick<SqlExecutor, '$executeRawUnsafe'>, messages: readonly OutboxMessage[]): Promise<void> {
  await insertRows(tx, 'outbox', OUTBOX_COLUMNS, messages.map((message) => ({ ...message, headers: message.headers ?? {} })), '');
}

/** The oldest staged messages not locked by another relay, locked until the caller's transaction ends. */
export async function lockStaged(tx: SqlExecutor, limit: number): Promise<StagedMessage[]> {
  const rows = await tx.$queryRawUnsafe<Array<{ id: bigint | string; subject: string; msg_id: string; payload: Uint8Array; headers: Record<string, string> | null }>>(
    'SELECT id, subject, msg_id, payload, headers FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
    limit,
  );
  return rows.map((row) => ({ id: String(row.id), subject: row.subject, msgId: row.msg_id, payload: new Uint8Array(row.payload), headers: row.headers ?? {} }));
}

/** Forgets messages once published (in the transaction that locked them). */
export async function removeStaged(tx: Pick<SqlExecutor, '$executeRawUnsafe'>, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await tx.$executeRawUnsafe('DELETE FROM outbox WHERE id = ANY($1::bigint[])', ids);
}
