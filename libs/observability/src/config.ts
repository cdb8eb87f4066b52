import { LOG_LEVELS } from './logger.js';

interface FieldBase<V> {
  /** Used when the variable is unset or empty. */
  default?: V;
  /** Without a default, a field is required unless this is `false` (then its value may be `undefined`). */
  required?: boolean;
  /** What the variable is for; shown when it is missing. */
  description: string;
  /** Never echo the value in an error (passwords, tokens, URLs with credentials). */
  secret?: boolean;
}

/** What a `custom` field's parser answers: the value, or every problem with the raw text. */
export type CustomParse<V> = { value: V } | { problems: readonly string[] };

export type FieldSpec =
  | ({ kind: 'string' } & FieldBase<string>)
  | ({ kind: 'url'; /** e.g. `['nats:', 'tls:']` */ protocols?: readonly string[] } & FieldBase<string>)
  | ({ kind: 'port' } & FieldBase<number>)
  | ({ kind: 'int'; /** smallest value accepted */ min?: number } & FieldBase<number>)
  | ({ kind: 'bool' } & FieldBase<boolean>)
  | ({ kind: 'enum'; values: readonly string[] } & FieldBase<string>)
  | ({
      /** Comma-separated, trimmed, no duplicates. */
      kind: 'list';
      /** What each item must match, and how to name it in a problem (`attribute key (1-64 of A-Z …)`). */
      item?: { pattern: RegExp; name: string };
      maxItems?: number;
      /** Set but empty means the empty list (unset still means the default). */
      emptyMeansNone?: boolean;
    } & FieldBase<readonly string[]>)
  | ({
      /** A value of the service's own type (an API key ring), parsed from the raw text. */
      kind: 'custom';
      /** The field's value type is inferred from what this returns. */
      parse: (raw: string) => CustomParse<unknown>;
    } & FieldBase<never>);

/** Keys are the environment variable names. */
export type ConfigSpec = Record<string, FieldSpec>;

type FieldValue<F extends FieldSpec> = F extends { kind: 'port' | 'int' }
  ? number
  : F extends { kind: 'bool' }
    ? boolean
    : F extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
      : F extends { kind: 'list' }
        ? readonly string[]
        : F extends { kind: 'custom'; parse: (raw: string) => infer R }
          ? R extends { value: infer V }
            ? V
            : never
          : string;

type MaybeMissing<F extends FieldSpec> = F extends { default: unknown }
  ? never
  : F extends { required: false }
    ? undefined
    : never;

/** The typed values of a spec: `{ NATS_URL: string; PRICING_PORT: number; LOG_LEVEL: 'debug' | ... }`. */
export type ConfigValues<S extends ConfigSpec> = {
  -readonly [K in keyof S]: FieldValue<S[K]> | MaybeMissing<S[K]>;
};

export interface ConfigProblem {
  variable: string;
  problem: string;
}

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    service?: string,
  ) {
    const heading = service ? `Invalid configuration for ${service}:` : 'Invalid configuration:';
    super([heading, ...problems.map(({ variable, problem }) => `  - ${variable}: ${problem}`)].join('\n'));
    this.name = 'ConfigError';
  }
}

/** A rule across variables (keys required in production), run once every variable parsed. */
export type ConfigCheck<S extends ConfigSpec> = (values: ConfigValues<S>) => readonly ConfigProblem[];

/**
 * Reads and checks every variable of `spec`, then throws one `ConfigError` naming all the wrong
 * or missing ones, so a misconfigured deployment is fixed in one go. Empty counts as unset
 * (except for a list with `emptyMeansNone`).
 */
export function parseConfig<const S extends ConfigSpec>(
  env: NodeJS.ProcessEnv,
  spec: S,
  service?: string,
  check?: ConfigCheck<S>,
): ConfigValues<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [variable, field] of Object.entries(spec)) {
    const raw = env[variable];
    const emptyIsValue = field.kind === 'list' && field.emptyMeansNone === true && raw !== undefined;
    if (raw === undefined || (raw.trim() === '' && !emptyIsValue)) {
      if (field.default !== undefined) values[variable] = field.default;
      else if (field.required === false) values[variable] = undefined;
      else problems.push({ variable, problem: `is not set (${field.description})` });
      continue;
    }
    const trimmed = raw.trim();
    const parsed = parseField(field, trimmed, field.secret ? 'the value (hidden)' : JSON.stringify(trimmed));
    if ('problems' in parsed) problems.push(...parsed.problems.map((problem) => ({ variable, problem })));
    else values[variable] = parsed.value;
  }
  if (problems.length === 0 && check) problems.push(...check(values as ConfigValues<S>));
  if (problems.length > 0) throw new ConfigError(problems, service);
  return values as ConfigValues<S>;
}

/**
 * `parseConfig` on `process.env`: the one place the lib reads the environment, for composition
 * roots (`const config = loadConfig('pricing', pricingConfigSpec)`).
 */
export function loadConfig<const S extends ConfigSpec>(
  service: string,
  spec: S,
  env: NodeJS.ProcessEnv = process.env,
): ConfigValues<S> {
  return parseConfig(env, spec, service);
}

/** The `LOG_LEVEL` field every service has; pass its value to `createLogger`. */
export const logLevelField = {
  kind: 'enum',
  values: LOG_LEVELS,
  default: 'info',
  description: 'lowest level logged',
} as const satisfies FieldSpec;

type Parsed = { value: unknown } | { problems: readonly string[] };

const problem = (text: string): Parsed => ({ problems: [text] });

function parseField(field: FieldSpec, raw: string, shown: string): Parsed {
  switch (field.kind) {
    case 'string':
      return { value: raw };
    case 'url':
      return parseUrl(raw, shown, field.protocols ?? []);
    case 'port': {
      const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
      return port >= 1 && port <= 65535 ? { value: port } : problem(`${shown} is not a port number (1-65535)`);
    }
    case 'int': {
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) return problem(`${shown} is not an integer`);
      const value = Number(raw);
      if (field.min !== undefined && value < field.min) return problem(`${field.secret ? shown : value} must be at least ${field.min}`);
      return { value };
    }
    case 'bool': {
      const value = BOOLEANS[raw.toLowerCase()];
      return value === undefined ? problem(`${shown} is not a boolean (true/false, 1/0, yes/no)`) : { value };
    }
    case 'enum':
      return field.values.includes(raw) ? { value: raw } : problem(`${shown} is not one of ${field.values.join(', ')}`);
    case 'list':
      return parseList(field, raw, field.secret === true);
    case 'custom':
      return field.parse(raw);
    default: {
      const unknownKind: never = field;
      throw new Error(`Unknown config field kind: ${JSON.stringify(unknownKind)}`);
    }
  }
}

const BOOLEANS: Record<string, boolean | undefined> = {
  true: true, false: false, '1': true, '0': false, yes: true, no: false,
};

function parseList(field: Extract<FieldSpec, { kind: 'list' }>, raw: string, secret: boolean): Parsed {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const problems: string[] = [];
  if (field.item) {
    const { pattern, name } = field.item;
    for (const item of items) if (!pattern.test(item)) problems.push(`${secret ? 'an item' : JSON.stringify(item)} is not a valid ${name}`);
  }
  const duplicates = [...new Set(items.filter((item, index) => items.indexOf(item) !== index))];
  if (duplicates.length > 0) problems.push(secret ? 'has duplicates' : `duplicates: ${duplicates.join(', ')}`);
  if (field.maxItems !== undefined && items.length > field.maxItems) problems.push(`at most ${field.maxItems} items, got ${items.length}`);
  return problems.length > 0 ? { problems } : { value: items };
}

function parseUrl(raw: string, shown: string, protocols: readonly string[]): Parsed {
  const expected = protocols.length > 0 ? protocols.map((p) => `${p}//host:port`).join(' or ') : 'scheme://host:port';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return problem(`${shown} is not a URL (expected ${expected})`);
  }
  if (protocols.length > 0 && !protocols.includes(url.protocol)) {
    // The rest of the URL may hold credentials.
    return problem(`protocol ${url.protocol} is not accepted (expected ${expected})`);
  }
  return { value: raw };
}
