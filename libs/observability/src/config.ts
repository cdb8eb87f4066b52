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

export type FieldSpec =
  | ({ kind: 'string' } & FieldBase<string>)
  | ({ kind: 'url'; /** e.g. `['nats:', 'tls:']` */ protocols?: readonly string[] } & FieldBase<string>)
  | ({ kind: 'port' } & FieldBase<number>)
  | ({ kind: 'int' } & FieldBase<number>)
  | ({ kind: 'bool' } & FieldBase<boolean>)
  | ({ kind: 'enum'; values: readonly string[] } & FieldBase<string>);

/** Keys are the environment variable names. */
export type ConfigSpec = Record<string, FieldSpec>;

type FieldValue<F extends FieldSpec> = F extends { kind: 'port' | 'int' }
  ? number
  : F extends { kind: 'bool' }
    ? boolean
    : F extends { kind: 'enum'; values: readonly (infer V)[] }
      ? V
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

/**
 * Reads and checks every variable of `spec`, then throws one `ConfigError` naming all the wrong
 * or missing ones, so a misconfigured deployment is fixed in one go. Empty counts as unset.
 */
export function parseConfig<const S extends ConfigSpec>(
  env: NodeJS.ProcessEnv,
  spec: S,
  service?: string,
): ConfigValues<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [variable, field] of Object.entries(spec)) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') {
      if (field.default !== undefined) values[variable] = field.default;
      else if (field.required === false) values[variable] = undefined;
      else problems.push({ variable, problem: `is not set (${field.description})` });
      continue;
    }
    const trimmed = raw.trim();
    const parsed = parseField(field, trimmed, field.secret ? 'the value (hidden)' : JSON.stringify(trimmed));
    if ('problem' in parsed) problems.push({ variable, problem: parsed.problem });
    else values[variable] = parsed.value;
  }
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

type Parsed = { value: unknown } | { problem: string };

function parseField(field: FieldSpec, raw: string, shown: string): Parsed {
  switch (field.kind) {
    case 'string':
      return { value: raw };
    case 'url':
      return parseUrl(raw, shown, field.protocols ?? []);
    case 'port': {
      const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
      return port >= 1 && port <= 65535 ? { value: port } : { problem: `${shown} is not a port number (1-65535)` };
    }
    case 'int':
      return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))
        ? { value: Number(raw) }
        : { problem: `${shown} is not an integer` };
    case 'bool': {
      const value = BOOLEANS[raw.toLowerCase()];
      return value === undefined ? { problem: `${shown} is not a boolean (true/false, 1/0, yes/no)` } : { value };
    }
    case 'enum':
      return field.values.includes(raw)
        ? { value: raw }
        : { problem: `${shown} is not one of ${field.values.join(', ')}` };
    default: {
      const unknownKind: never = field;
      throw new Error(`Unknown config field kind: ${JSON.stringify(unknownKind)}`);
    }
  }
}

const BOOLEANS: Record<string, boolean | undefined> = {
  true: true, false: false, '1': true, '0': false, yes: true, no: false,
};

function parseUrl(raw: string, shown: string, protocols: readonly string[]): Parsed {
  const expected = protocols.length > 0 ? protocols.map((p) => `${p}//host:port`).join(' or ') : 'scheme://host:port';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `${shown} is not a URL (expected ${expected})` };
  }
  if (protocols.length > 0 && !protocols.includes(url.protocol)) {
    // The rest of the URL may hold credentials.
    return { problem: `protocol ${url.protocol} is not accepted (expected ${expected})` };
  }
  return { value: raw };
}
