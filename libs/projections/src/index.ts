export { migrateSchema, readMigrations, assertSchemaName, PROJECTION_STORE_MIGRATION, type Migration, type MigrateOptions } from './migrate.js';
export { insertRows, insertRowsStatement, columnsOf, type Column } from './insert-rows.js';
export {
  applyOnce,
  dropReadModel,
  type SqlExecutor,
  type TransactionalDb,
  type KeyedEvent,
  type ApplyResult,
  type ApplyEvents,
  type ApplyOnceOptions,
  type Idempotency,
} from './apply-once.js';
export { APPLIED_KEY_MIGRATION, appliedKeyHash, projectionId, recordAppliedKeys, forgetAppliedKeys, pruneAppliedKeys } from './applied-keys.js';
export { OUTBOX_MIGRATION, stageMessages, lockStaged, removeStaged, type OutboxMessage, type StagedMessage } from './outbox.js';
export {
  PROJECTION_STREAM_MIGRATION,
  compareStream,
  describeMismatch,
  recordedStream,
  checkAndRecordStream,
  forgetStream,
  StreamMismatchError,
  type StreamIdentity,
  type RecordedStream,
  type StreamMismatch,
} from './stream-identity.js';
