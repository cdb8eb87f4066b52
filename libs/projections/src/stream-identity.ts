import type { SqlExecutor } from './sql-executor.js';

/**
 * Which JetStream stream a read model was built from. A stream sequence is unique only within
 * one stream's life: a stream deleted and created again, a store lost, moved or restored, or
 * another nats-server met by the same database starts counting again. A read model records the
 * stream's creation time and the highest sequence it applied, and compares them with the stream
 * it consumes, so every sequence it holds means "this stream's sequence" and never another's.
 */
export const PROJECTION_STREAM_MIGRATION = {
  name: '000_projection_stream',
  sql: `
CREATE TABLE IF NOT EXISTS projection_stream (
  projection     TEXT NOT NULL,
  stream         TEXT NOT NULL,
  stream_created TEXT NOT NULL,            -- the stream's creation time as JetStream reports it
  last_sequence  BIGINT NOT NULL,          -- the highest stream sequence applied
  recorded_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (projection, stream)
);`,
};

/** The stream as JetStream describes it now (`StreamInfo.created`, `state.last_seq`). */
export interface StreamIdentity {
  readonly stream: string;
  readonly created: string;
  readonly lastSequence: number;
}

export interface RecordedStream {
  readonly created: string;
  readonly lastSequence: number;
}

/** Why the stream consumed is not the one the read model was built from. */
export type StreamMismatch =
  | { readonly kind: 'recreated'; readonly recorded: RecordedStream; readonly found: StreamIdentity }
  | { readonly kind: 'went-backwards'; readonly recorded: RecordedStream; readonly found: StreamIdentity };

/** Pure: the recorded identity against the stream found; undefined when they agree (or nothing was recorded). */
export function compareStream(recorded: RecordedStream | undefined, found: StreamIdentity): StreamMismatch | undefined {
  if (!recorded) return undefined;
  if (recorded.created !== found.created) return { kind: 'recreated', recorded, found };
  // Same creation time but fewer messages than we applied: the store was restored from an older copy.
  if (found.lastSequence < recorded.lastSequence) return { kind: 'went-backwards', recorded, found };
  return undefined;
}

export function describeMismatch(projection: string, mismatch: StreamMismatch): string {
  const { recorded, found } = mismatch;
  const what =
    mismatch.kind === 'recreated'
      ? `was created at ${found.created}, but this read model was built from a stream created at ${recorded.created}`
      : `ends at sequence ${found.lastSequence}, below sequence ${recorded.lastSequence} this read model already applied`;
  return (
    `stream ${found.stream} ${what}: its sequences are not the ones recorded in projection ${projection}. ` +
    `Refusing to apply it (events would be confused with others). Point the service at the NATS store it was built from, ` +
    `or run the service's rebuild command to rebuild the read model from this stream.`
  );
}

export class StreamMismatchError extends Error {
  constructor(
    readonly projection: string,
    readonly mismatch: StreamMismatch,
  ) {
    super(describeMismatch(projection, mismatch));
    this.name = 'StreamMismatchError';
  }
}

export async function recordedStream(db: SqlExecutor, projection: string, stream: string): Promise<RecordedStream | undefined> {
  const rows = await db.$queryRawUnsafe<Array<{ stream_created: string; last_sequence: bigint | number | string }>>(
    'SELECT stream_created, last_sequence FROM projection_stream WHERE projection = $1 AND stream = $2',
    projection,
    stream,
  );
  const row = rows[0];
  return row && { created: row.stream_created, lastSequence: Number(row.last_sequence) };
}

/**
 * Inside the batch's transaction: compares the stream's creation time with the recorded one,
 * records it (first batch) and moves the checkpoint to `appliedUpTo`. On a mismatch it throws
 * `StreamMismatchError`, or, with `adopt` (a read model keyed by event identity only, for which
 * another stream is harmless), records the new stream and returns the mismatch to be reported.
 * (Whether the stream went backwards is asked of fresh stream info, outside: `compareStream`.)
 * Row-locked, so replicas sharing the durable serialise only on this row.
 */
export async function checkAndRecordStream(
  tx: SqlExecutor,
  projection: string,
  found: Pick<StreamIdentity, 'stream' | 'created'>,
  appliedUpTo: number,
  options: { readonly adopt?: boolean } = {},
): Promise<StreamMismatch | undefined> {
  const rows = await tx.$queryRawUnsafe<Array<{ stream_created: string; last_sequence: bigint | number | string }>>(
    'SELECT stream_created, last_sequence FROM projection_stream WHERE projection = $1 AND stream = $2 FOR UPDATE',
    projection,
    found.stream,
  );
  const recorded = rows[0] && { created: rows[0].stream_created, lastSequence: Number(rows[0].last_sequence) };
  const mismatch = compareStream(recorded, { ...found, lastSequence: Number.MAX_SAFE_INTEGER });
  if (mismatch && !options.adopt) throw new StreamMismatchError(projection, mismatch);
  await tx.$executeRawUnsafe(
    `INSERT INTO projection_stream (projection, stream, stream_created, last_sequence) VALUES ($1, $2, $3, $4)
     ON CONFLICT (projection, stream) DO UPDATE SET
       last_sequence = CASE WHEN projection_stream.stream_created = EXCLUDED.stream_created
                            THEN GREATEST(projection_stream.last_sequence, EXCLUDED.last_sequence) ELSE EXCLUDED.last_sequence END,
       stream_created = EXCLUDED.stream_created,
       recorded_at = CASE WHEN projection_stream.stream_created = EXCLUDED.stream_created THEN projection_stream.recorded_at ELSE now() END`,
    projection,
    found.stream,
    found.created,
    appliedUpTo,
  );
  return mismatch;
}

/** Forgets the stream a read model was built from (with the read model itself, on rebuild). */
export async function forgetStream(tx: SqlExecutor, projection: string): Promise<void> {
  await tx.$executeRawUnsafe('DELETE FROM projection_stream WHERE projection = $1', projection);
}
