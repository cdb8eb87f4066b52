import { join } from 'node:path';
import { expectIncrementsInPlace, expectSchemaInStep } from '@agentledger/testing';

const prisma = join(import.meta.dirname, '..', 'prisma');

describe('prisma/schema.prisma and prisma/migrations (real PostgreSQL)', () => {
  it('describe the same tables, columns, keys and indexes', async () => {
    await expectSchemaInStep({ schemaPath: join(prisma, 'schema.prisma'), migrationsDir: join(prisma, 'migrations') });
  });

  it('leave room on the rollups\' pages, so an increment stays on its page (a HOT update)', async () => {
    await expectIncrementsInPlace({ migrationsDir: join(prisma, 'migrations'), tables: ['scope_spend_quarter_hour', 'agent_hour'] });
  });
});
