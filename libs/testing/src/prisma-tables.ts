import { prismaDefault } from './column-default.js';
import type { PrismaDatamodel, PrismaField, PrismaIndex, PrismaModel } from './prisma-schema-wasm.js';
import type { ColumnShape, IndexShape, TableShape } from './table-shape.js';

// PostgreSQL's identifier limit; Prisma shortens default constraint names to fit it.
const MAX_IDENTIFIER_LENGTH = 63;

/** The tables schema.prisma describes, as the migrations should have made them (PostgreSQL). */
export function prismaTables(datamodel: PrismaDatamodel): TableShape[] {
  const enumNames = new Map(datamodel.enums.map((enumType) => [enumType.name, enumType.dbName ?? enumType.name]));
  return datamodel.models.map((model) => {
    const table = model.dbName ?? model.name;
    const columns = new Map<string, ColumnShape>();
    for (const field of model.fields) {
      if (field.kind === 'object') continue; // a relation: its columns are scalar fields of their own
      const type = columnType(model, field, enumNames);
      const fill = prismaDefault(field.default, type);
      columns.set(columnName(field), {
        type,
        nullable: field.isList || !field.isRequired, // Prisma makes list columns nullable
        ...(typeof fill === 'object' ? { default: undefined, dbgenerated: fill.dbgenerated } : { default: fill }),
      });
    }
    const indexes = new Map<string, IndexShape>();
    for (const index of datamodel.indexes.filter((candidate) => candidate.model === model.name)) {
      const indexColumns = index.fields.map((indexField) => columnName(fieldOf(model, indexField.name)));
      indexes.set(index.dbName ?? defaultIndexName(table, index.type, indexColumns), {
        kind: index.type === 'id' ? 'primary key' : index.type === 'unique' ? 'unique' : 'index',
        columns: indexColumns,
      });
    }
    return { name: table, origin: `model ${model.name}`, columns, indexes };
  });
}

const columnName = (field: PrismaField): string => field.dbName ?? field.name;

function fieldOf(model: PrismaModel, name: string): PrismaField {
  const field = model.fields.find((candidate) => candidate.name === name);
  if (field === undefined) throw new Error(`model ${model.name} indexes an unknown field ${name}`);
  return field;
}

/** Prisma's defaults: `{table}_pkey`, `{table}_{columns}_key`, `{table}_{columns}_idx`, shortened to fit. */
function defaultIndexName(table: string, type: PrismaIndex['type'], columns: readonly string[]): string {
  const [stem, suffix] = type === 'id' ? [table, '_pkey'] : [[table, ...columns].join('_'), type === 'unique' ? '_key' : '_idx'];
  return stem.slice(0, MAX_IDENTIFIER_LENGTH - suffix.length) + suffix;
}

// The PostgreSQL type of each Prisma scalar without a native type attribute.
const SCALAR_TYPES: Record<string, string> = {
  String: 'text',
  Boolean: 'boolean',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

// Native type attributes (`@db.X(args)`), written as format_type prints them.
const NATIVE_TYPES: Record<string, (args: readonly string[]) => string> = {
  Text: () => 'text',
  VarChar: (args) => withArgs('character varying', args),
  Char: (args) => withArgs('character', args),
  Uuid: () => 'uuid',
  Xml: () => 'xml',
  Inet: () => 'inet',
  Citext: () => 'citext',
  Bit: (args) => withArgs('bit', args),
  VarBit: (args) => withArgs('bit varying', args),
  Boolean: () => 'boolean',
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  Oid: () => 'oid',
  BigInt: () => 'bigint',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (args) => withArgs('numeric', args),
  Money: () => 'money',
  Timestamp: (args) => `${withArgs('timestamp', args)} without time zone`,
  Timestamptz: (args) => `${withArgs('timestamp', args)} with time zone`,
  Date: () => 'date',
  Time: (args) => `${withArgs('time', args)} without time zone`,
  Timetz: (args) => `${withArgs('time', args)} with time zone`,
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
};

const withArgs = (name: string, args: readonly string[]): string => (args.length === 0 ? name : `${name}(${args.join(',')})`);

function columnType(model: PrismaModel, field: PrismaField, enumNames: ReadonlyMap<string, string>): string {
  const base = field.kind === 'enum' ? enumNames.get(field.type)! : scalarType(model, field);
  return field.isList ? `${base}[]` : base;
}

function scalarType(model: PrismaModel, field: PrismaField): string {
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    const render = NATIVE_TYPES[name];
    if (render === undefined) throw new Error(`${model.name}.${field.name}: the drift check does not know @db.${name} yet (add it to NATIVE_TYPES)`);
    return render(args);
  }
  const type = SCALAR_TYPES[field.type];
  if (type === undefined) throw new Error(`${model.name}.${field.name}: the drift check does not know the Prisma type ${field.type} (${field.kind})`);
  return type;
}
