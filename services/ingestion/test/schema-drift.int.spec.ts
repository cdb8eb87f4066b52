import { join } from 'node:path';
import { expectSchemaInStep } from '@agentledger/testing';

const prisma = join(import.meta.dirname, '..', 'prisma');

describe('prisma/schema.prisma and prisma/migrations (real PostgreSQL)', () => {
  it('describe the same tables, columns, keys and indexes', async () => {
    await expectSchemaInStep({ schemaPath: join(prisma, 'schema.prisma'), migrationsDir: join(prisma, 'migrations') });
  });
});
