import { join } from 'node:path';
import { expectSchemaInStep } from '../src/index.js';

const fixture = (name: string) => ({
  schemaPath: join(import.meta.dirname, 'fixtures', name, 'schema.prisma'),
  migrationsDir: join(import.meta.dirname, 'fixtures', name, 'migrations'),
});

describe('expectSchemaInStep (real PostgreSQL)', () => {
  it('passes when the migrations make what schema.prisma says: types, nullability, defaults, keys, indexes', async () => {
    await expect(expectSchemaInStep(fixture('in-step'))).resolves.toBeUndefined();
  });

  it('names every difference, as table.column: schema says X, migrations give Y', async () => {
    const { schemaPath, migrationsDir } = fixture('drifted');

    await expect(expectSchemaInStep({ schemaPath, migrationsDir })).rejects.toThrow(
      [
        `${schemaPath} and the migrations in ${migrationsDir} disagree (13):`,
        '  - spend_daily.agent_id nullability: schema says NOT NULL, migrations give NULL',
        '  - spend_daily.cost type: schema says numeric(38,18), migrations give numeric',
        '  - spend_daily.currency: in schema.prisma (text), not in the migrations',
        '  - spend_daily.seen_at type: schema says timestamp(3) with time zone, migrations give timestamp(6) with time zone',
        '  - spend_daily.runs default: schema says 0, migrations give none',
        "  - spend_daily.label default: schema says '', migrations give 'none'",
        '  - spend_daily.team: in the migrations (text), not in schema.prisma',
        '  - spend_daily primary key spend_daily_pkey: schema says (tenant, day, agent_id), migrations give (tenant, day)',
        '  - spend_daily index (tenant, agent_id): schema says it is named spend_daily_tenant_agent_id_idx, migrations name it spend_daily_agent_idx (map: "spend_daily_agent_idx" in schema.prisma, or rename it in a new migration)',
        '  - spend_daily unique spend_daily_tenant_seen_at_key unique (tenant, seen_at): in schema.prisma, not in the migrations',
        '  - spend_daily index spend_daily_unpriced_idx (tenant, day) WHERE (cost = (0)::numeric): in the migrations, not in schema.prisma (a partial index: declare it with where: raw("(cost = (0)::numeric)") and previewFeatures = ["partialIndexes"], or pass it in ignoreIndexes)',
        '  - table budget: in schema.prisma (model Budget), not made by the migrations',
        '  - table spend_alert: made by the migrations, not in schema.prisma',
      ].join('\n'),
    );
  });

  it('leaves out the tables and indexes it is told to', async () => {
    const { schemaPath, migrationsDir } = fixture('drifted');

    const failure = await expectSchemaInStep({ schemaPath, migrationsDir, ignoreTables: ['spend_alert'], ignoreIndexes: ['spend_daily_unpriced_idx'] }).catch(
      (error: Error) => error.message,
    );

    expect(failure).toContain('disagree (11):');
    expect(failure).not.toMatch(/spend_alert|spend_daily_unpriced_idx/);
  });
});
