import type { PrismaPg } from '@prisma/adapter-pg';
import { DeadLetterPublisher, provisionConsumers } from '@agentledger/jetstream';
import { migrateSchema, type SqlExecutor } from '@agentledger/projections';
import { prismaAdapter, ProjectionRunner, type ProjectionDefinition } from '@agentledger/service-kit';
import type { TestBus } from './test-bus.js';
import { createTestSchema, type TestSchema } from './test-schema.js';

export interface TestDatabase<Db> extends TestSchema {
  /** The service's own Prisma client on the migrated test schema. */
  readonly db: Db;
}

/** A fresh schema migrated with a service's migrations, and its Prisma client on it; `cleanup` drops both. */
export async function createTestDatabase<Db extends { $disconnect(): Promise<void> }>(options: {
  readonly migrationsDir: string;
  readonly createClient: (adapter: PrismaPg) => Db;
}): Promise<TestDatabase<Db>> {
  const schema = await createTestSchema();
  await migrateSchema({ connectionString: schema.connectionString, schema: schema.schema, migrationsDir: options.migrationsDir });
  const db = options.createClient(prismaAdapter({ connectionString: schema.connectionString, schema: schema.schema }));
  return {
    ...schema,
    db,
    async cleanup() {
      await db.$disconnect();
      await schema.cleanup();
    },
  };
}

/** A projection of the service under test, on the test's bus and database, its consumer provisioned. */
export async function createTestProjection<E, Tx extends SqlExecutor>(
  bus: TestBus,
  db: ConstructorParameters<typeof ProjectionRunner<E, Tx>>[0]['db'],
  service: string,
  definition: ProjectionDefinition<E, Tx>,
  hooks?: ConstructorParameters<typeof ProjectionRunner<E, Tx>>[0]['hooks'],
  outbox?: ConstructorParameters<typeof ProjectionRunner<E, Tx>>[0]['outbox'],
): Promise<ProjectionRunner<E, Tx>> {
  await provisionConsumers(bus.jsm, bus.ns, [definition.consumer]);
  // A batch that keeps failing only shows as a timeout; TEST_PROJECTION_LOGS=1 prints why.
  const logger = process.env.TEST_PROJECTION_LOGS ? { info: console.log, warn: console.log, error: console.log } : undefined;
  return new ProjectionRunner({ js: bus.js, jsm: bus.jsm, ns: bus.ns, db, service, deadLetters: new DeadLetterPublisher(bus.publisher, bus.ns), hooks, outbox, logger }, definition);
}
