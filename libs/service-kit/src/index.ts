export { prismaAdapter, type DatabaseOptions } from './database.js';
export { QueryServer, QueryClient, QueryError, type QueryErrorCode, type QueryRequest, type QueryHandler } from './query-bus.js';
export { ProjectionRunner, type ProjectionDefinition, type ProjectionDeps } from './projection-runner.js';
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
