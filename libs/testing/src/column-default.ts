// A column's default, written the same way whether schema.prisma or PostgreSQL says it, so the
// two compare as text: functions as `now()`, `autoincrement()`; strings SQL-quoted (`''`);
// numbers without trailing zeros; JSON re-serialised; list defaults only as present; other
// expressions as PostgreSQL prints them (a `dbgenerated(…)` is printed by PostgreSQL first).

const NUMERIC_TYPE = /^(smallint|integer|bigint|real|double precision|numeric|money)\b/;
const JSON_TYPE = /^jsonb?$/;
const LIST_DEFAULT = '(a list)';
// Defaults Prisma's client fills in: the column has none in the database.
const CLIENT_SIDE_FUNCTIONS = new Set(['cuid', 'uuid', 'nanoid', 'ulid']);

/** The database default a Prisma field's `@default(…)` stands for; undefined when none. */
export function prismaDefault(value: unknown, type: string): string | { readonly dbgenerated: string } | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return LIST_DEFAULT;
  if (typeof value === 'object') {
    const { name, args } = value as { name: string; args: unknown[] };
    if (CLIENT_SIDE_FUNCTIONS.has(name)) return undefined;
    if (name === 'autoincrement' || name === 'sequence') return 'autoincrement()';
    if (name === 'dbgenerated') return { dbgenerated: String(args[0]) };
    return `${name}()`;
  }
  return literal(String(value), type);
}

/** The same for a column's default expression as pg_get_expr prints it. */
export function databaseDefault(expression: string, type: string): string {
  if (type.endsWith('[]')) return LIST_DEFAULT;
  if (/^nextval\(/.test(expression)) return 'autoincrement()';
  if (/^(now\(\)|CURRENT_TIMESTAMP(\(\d\))?)$/.test(expression)) return 'now()';
  const quoted = /^'((?:[^']|'')*)'(?:::[\w ".]+(?:\(\d+(?:,\s*\d+)?\))?)?$/.exec(expression);
  if (quoted !== null) return literal(quoted[1]!.replace(/''/g, "'"), type);
  if (/^(-?\d+(\.\d+)?|true|false)$/.test(expression)) return literal(expression, type);
  return expression;
}

function literal(text: string, type: string): string {
  if (NUMERIC_TYPE.test(type) && /^-?\d+(\.\d+)?$/.test(text)) return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  if (JSON_TYPE.test(type)) {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch {
      return text;
    }
  }
  if (type === 'boolean' || !/^(text|character|uuid|xml|inet|citext|date|time)/.test(type)) return text; // booleans, enums
  return `'${text.replace(/'/g, "''")}'`;
}
