import { parsePrismaSchema } from '../src/prisma-schema-wasm.js';
import { prismaTables } from '../src/prisma-tables.js';

const tablesOf = (models: string) => prismaTables(parsePrismaSchema(`datasource db {\n  provider = "postgresql"\n}\n${models}`));

describe('prismaTables: schema.prisma as Prisma parses it, as PostgreSQL should have it', () => {
  it('maps tables and columns, writes types as format_type does and names keys as Prisma does', () => {
    const [table] = tablesOf(`
model CostEntry {
  tenant    String
  costId    String    @map("cost_id")
  kind      Int       @db.SmallInt
  time      DateTime  @db.Timestamptz(3)
  at        DateTime?
  cost      Decimal   @db.Decimal(38, 18)
  exact     Decimal   @db.Decimal
  plain     Decimal
  tokens    BigInt    @default(0)
  attrs     Json      @default("{ }")
  id        String    @default(uuid()) @unique

  @@id([tenant, costId])
  @@index([tenant, time])
  @@index([tenant, kind], map: "cost_entry_kind_idx")
  @@map("cost_entry")
}`);

    expect(table!.name).toBe('cost_entry');
    expect(Object.fromEntries(table!.columns)).toEqual({
      tenant: { type: 'text', nullable: false, default: undefined },
      cost_id: { type: 'text', nullable: false, default: undefined },
      kind: { type: 'smallint', nullable: false, default: undefined },
      time: { type: 'timestamp(3) with time zone', nullable: false, default: undefined },
      at: { type: 'timestamp(3) without time zone', nullable: true, default: undefined },
      cost: { type: 'numeric(38,18)', nullable: false, default: undefined },
      exact: { type: 'numeric', nullable: false, default: undefined },
      plain: { type: 'numeric(65,30)', nullable: false, default: undefined },
      tokens: { type: 'bigint', nullable: false, default: '0' },
      attrs: { type: 'jsonb', nullable: false, default: '{}' },
      id: { type: 'text', nullable: false, default: undefined },
    });
    expect(Object.fromEntries(table!.indexes)).toEqual({
      cost_entry_pkey: { kind: 'primary key', columns: ['tenant', 'cost_id'] },
      cost_entry_tenant_time_idx: { kind: 'index', columns: ['tenant', 'time'] },
      cost_entry_kind_idx: { kind: 'index', columns: ['tenant', 'kind'] },
      cost_entry_id_key: { kind: 'unique', columns: ['id'] },
    });
  });

  it('shortens a default index name to PostgreSQL’s 63 characters, keeping the suffix', () => {
    const [table] = tablesOf(`
model UnitPriceHistory {
  streamSequence BigInt @id @map("stream_sequence")
  tenant         String
  effectiveFrom  DateTime @map("effective_from")
  previousUnitPrice String @map("previous_unit_price")

  @@index([tenant, effectiveFrom, previousUnitPrice, streamSequence])
  @@map("unit_price_history")
}`);

    const name = 'unit_price_history_tenant_effective_from_previous_unit_pric_idx';
    expect(name).toHaveLength(63);
    expect([...table!.indexes.keys()]).toEqual(['unit_price_history_pkey', name]);
  });

  it('says where a schema does not parse, in Prisma’s words', () => {
    expect(() => tablesOf('model Broken {\n  id Int @id\n  oops\n}')).toThrow(/^schema\.prisma does not parse: .*schema\.prisma:6/s);
  });
});
