export { uniqueToken, eventually } from './unique.js';
export { freePort, SERVICE_NAMES, SERVICE_PORT_VARIABLES, type ServiceName } from './service-processes.js';
export { createTestBus, testNatsUrl, type TestBus } from './test-bus.js';
export { createTestSchema, testDatabaseUrl, type TestSchema } from './test-schema.js';
export { createTestDatabase, createTestProjection, type TestDatabase } from './test-database.js';
export { DeciderSpecification } from './decider-specification.js';
export { pgTransactionalDb, type PgTransactionalDb } from './pg-transactional-db.js';
export { expectSchemaInStep, schemaDrift, PROJECTION_STORE_TABLES, type SchemaInStepOptions } from './schema-drift.js';
export { documentedVariables, readmeVariableProblems, repositoryRoot, type DocumentedVariable } from './readme-variables.js';
