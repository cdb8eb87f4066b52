export { prismaAdapter, sqlPool, type DatabaseOptions } from './database.js';
export { sqlDb, SqlTimeoutError, type SqlDb } from './sql-db.js';
export { QueryLimiter, DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limiter.js';
export { QueryServer, QueryClient, QueryError, checkedRequest, isStatementTimeout, subjectOf, type QueryErrorCode, type QueryRequest, type ContractHandler, type QueryServerOptions } from './query-bus.js';
export { HANDLER_SECONDS, type HandlerMetrics } from './handler-instrumentation.js';
export { ProjectionRunner, type ProjectionDefinition, type ProjectionDeps, type OutboxFlush } from './projection-runner.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { baseConfigSpec, databaseConfigSpec, serviceConfigSpec, readServiceConfig, type BaseConfig } from './service-config.js';
export {
  startService,
  projectionOf,
  runServiceMain,
  type ServiceDefinition,
  type ServiceContext,
  type ServiceParts,
  type RunningService,
  type StartOptions,
  type Worker,
  type ManagedDb,
} from './service.js';
export { answeringRejections } from './command-rejections.js';
export { PollingWorker, type PollingWorkerOptions } from './polling-worker.js';
export {
  ApiKeyRing,
  ApiKeyListError,
  authenticate,
  sha256,
  type Authentication,
  type Caller,
  type HashedKey,
  type KeyAuthenticator,
  type Role,
} from './api-keys/api-key-ring.js';
export { apiKeysField, nodeEnvField, productionApiKeyProblems, readApiKeyRing } from './api-keys/api-key-config.js';
export { weakKeyReason, KEY_GENERATION_HINT, MIN_PRODUCTION_KEY_LENGTH } from './api-keys/key-strength.js';
