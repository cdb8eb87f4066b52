import { join } from 'node:path';
import { expectIncrementsInPlace, expectSchemaInStep } from '@agentledger/testing';

const prisma = join(import.meta.dirname, '..', 'prisma');

describe('prisma/schema.prisma and prisma/migrations (real PostgreSQL)', () => {
  it('describe the same tables, columns, keys and indexes', async () => {
    await expectSchemaInStep({ schemaPath: join(prisma, 'schema.prisma'), migrationsDir: join(prisma, 'migrations') });
  });

  it('leave room on agent_activity\'s pages, so the update of an agent\'s activity stays on its page (a HOT update)', async () => {
    await expectIncrementsInPlace({ migrationsDir: join(prisma, 'migrations'), tables: ['agent_activity'] });
  });
});
