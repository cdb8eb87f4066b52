export { migrateSchema, readMigrations, assertSchemaName, PROJECTION_STORE_MIGRATION, type Migration, type MigrateOptions } from './migrate.js';
export { applyOnce, dropReadModel, type SqlExecutor, type TransactionalDb, type KeyedEvent, type ApplyResult } from './apply-once.js';
