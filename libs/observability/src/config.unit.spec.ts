import { ConfigError, loadConfig, logLevelField, parseConfig, type ConfigSpec } from './config.js';

const pricingSpec = {
  NATS_URL: { kind: 'url', protocols: ['nats:', 'tls:'], default: 'nats://127.0.0.1:4222', description: 'NATS server' },
  DATABASE_URL: { kind: 'url', protocols: ['postgresql:', 'postgres:'], secret: true, description: 'Postgres connection string' },
  PRICING_PORT: { kind: 'port', default: 3001, description: 'HTTP port' },
  FETCH_BATCH: { kind: 'int', default: 100, description: 'messages per fetch' },
  PRICE_BOOK: { kind: 'string', required: false, description: 'path of a price book to seed' },
  DEV_SEED: { kind: 'bool', default: false, description: 'seed sample prices' },
  LOG_LEVEL: logLevelField,
} satisfies ConfigSpec;

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('returns typed values, with defaults for unset or empty variables', () => {
    const config = parseConfig(
      { DATABASE_URL: 'postgresql://ledger:secret@db:5432/ledger', PRICING_PORT: '8080', DEV_SEED: 'yes', FETCH_BATCH: '' },
      pricingSpec,
      'pricing',
    );

    expect(config).toEqual({
      NATS_URL: 'nats://127.0.0.1:4222',
      DATABASE_URL: 'postgresql://ledger:secret@db:5432/ledger',
      PRICING_PORT: 8080,
      FETCH_BATCH: 100,
      PRICE_BOOK: undefined,
      DEV_SEED: true,
      LOG_LEVEL: 'info',
    });
    // The types follow the spec.
    const port: number = config.PRICING_PORT;
    const level: 'debug' | 'info' | 'warn' | 'error' = config.LOG_LEVEL;
    const priceBook: string | undefined = config.PRICE_BOOK;
    // @ts-expect-error an optional field may be undefined
    const mustBeString: string = config.PRICE_BOOK;
    expect([port, level, priceBook, mustBeString]).toEqual([8080, 'info', undefined, undefined]);
  });

  it('names every wrong or missing variable with what was expected', () => {
    const error = configError(() =>
      parseConfig(
        { NATS_URL: 'foo', PRICING_PORT: 'x', FETCH_BATCH: '1.5', DEV_SEED: 'maybe', LOG_LEVEL: 'trace' },
        pricingSpec,
        'pricing',
      ),
    );

    expect(error.message).toBe(
      [
        'Invalid configuration for pricing:',
        '  - NATS_URL: "foo" is not a URL (expected nats://host:port or tls://host:port)',
        '  - DATABASE_URL: is not set (Postgres connection string)',
        '  - PRICING_PORT: "x" is not a port number (1-65535)',
        '  - FETCH_BATCH: "1.5" is not an integer',
        '  - DEV_SEED: "maybe" is not a boolean (true/false, 1/0, yes/no)',
        '  - LOG_LEVEL: "trace" is not one of debug, info, warn, error',
      ].join('\n'),
    );
    expect(error.problems.map((problem) => problem.variable)).toEqual([
      'NATS_URL',
      'DATABASE_URL',
      'PRICING_PORT',
      'FETCH_BATCH',
      'DEV_SEED',
      'LOG_LEVEL',
    ]);
    expect(error.name).toBe('ConfigError');
  });

  it('rejects ports outside 1-65535', () => {
    const spec = { PORT: { kind: 'port', description: 'HTTP port' } } satisfies ConfigSpec;

    for (const raw of ['0', '65536', '-1', '80.5', '123456']) {
      expect(configError(() => parseConfig({ PORT: raw }, spec)).message).toBe(
        `Invalid configuration:\n  - PORT: "${raw}" is not a port number (1-65535)`,
      );
    }
    expect(parseConfig({ PORT: '65535' }, spec)).toEqual({ PORT: 65535 });
  });

  it('never echoes a secret value, nor a URL that may hold credentials', () => {
    const error = configError(() =>
      parseConfig(
        { NATS_URL: 'http://user:pw@nats:4222', DATABASE_URL: 'pass word' },
        pricingSpec,
        'pricing',
      ),
    );

    expect(error.message).toBe(
      [
        'Invalid configuration for pricing:',
        '  - NATS_URL: protocol http: is not accepted (expected nats://host:port or tls://host:port)',
        '  - DATABASE_URL: the value (hidden) is not a URL (expected postgresql://host:port or postgres://host:port)',
      ].join('\n'),
    );
  });

  it('loadConfig reads process.env unless given another environment', () => {
    const spec = { OBSERVABILITY_TEST_PORT: { kind: 'port', description: 'test port' } } satisfies ConfigSpec;
    process.env.OBSERVABILITY_TEST_PORT = '4000';
    try {
      expect(loadConfig('pricing', spec)).toEqual({ OBSERVABILITY_TEST_PORT: 4000 });
      expect(loadConfig('pricing', spec, { OBSERVABILITY_TEST_PORT: '5000' })).toEqual({ OBSERVABILITY_TEST_PORT: 5000 });
    } finally {
      delete process.env.OBSERVABILITY_TEST_PORT;
    }
  });

  it('reads a list: comma-separated, trimmed; empty is the empty list only with emptyMeansNone', () => {
    const spec = {
      KEYS: { kind: 'list', item: { pattern: /^[a-z.]{1,12}$/, name: 'key (1-12 of a-z .)' }, maxItems: 3, emptyMeansNone: true, default: ['customer'], description: 'keys' },
      TAGS: { kind: 'list', default: ['a'], description: 'tags' },
    } as const satisfies ConfigSpec;

    expect(parseConfig({}, spec)).toEqual({ KEYS: ['customer'], TAGS: ['a'] });
    expect(parseConfig({ KEYS: '', TAGS: '' }, spec)).toEqual({ KEYS: [], TAGS: ['a'] });
    const config = parseConfig({ KEYS: ' cost.center , team,' }, spec);
    const keys: readonly string[] = config.KEYS;
    expect(keys).toEqual(['cost.center', 'team']);
    expect(configError(() => parseConfig({ KEYS: 'team,Bad Key,team,a,b' }, spec)).message).toBe(
      [
        'Invalid configuration:',
        '  - KEYS: "Bad Key" is not a valid key (1-12 of a-z .)',
        '  - KEYS: duplicates: team',
        '  - KEYS: at most 3 items, got 5',
      ].join('\n'),
    );
  });

  it('checks an int against its minimum', () => {
    const spec = { TIMEOUT_MS: { kind: 'int', min: 1, default: 100, description: 'timeout' } } satisfies ConfigSpec;

    expect(parseConfig({ TIMEOUT_MS: '1' }, spec)).toEqual({ TIMEOUT_MS: 1 });
    expect(configError(() => parseConfig({ TIMEOUT_MS: '0' }, spec)).message).toBe('Invalid configuration:\n  - TIMEOUT_MS: 0 must be at least 1');
  });

  it('parses a custom field with its own parser, typed by what it returns', () => {
    const spec = {
      RATIO: {
        kind: 'custom',
        required: false,
        parse: (raw: string) => (/^\d+:\d+$/.test(raw) ? { value: raw.split(':').map(Number) as [number, number] } : { problems: [`"${raw}" is not a:b`] }),
        description: 'a ratio',
      },
    } as const satisfies ConfigSpec;

    const config = parseConfig({ RATIO: '3:4' }, spec);
    const ratio: [number, number] | undefined = config.RATIO;
    expect(ratio).toEqual([3, 4]);
    expect(parseConfig({}, spec)).toEqual({ RATIO: undefined });
    expect(configError(() => parseConfig({ RATIO: '3/4' }, spec, 'svc')).message).toBe('Invalid configuration for svc:\n  - RATIO: "3/4" is not a:b');
  });

  it('runs a check across variables once every variable parsed, in the same error', () => {
    const spec = {
      MODE: { kind: 'enum', values: ['dev', 'production'], default: 'dev', description: 'mode' },
      SECRET: { kind: 'string', required: false, secret: true, description: 'a secret' },
    } as const satisfies ConfigSpec;
    const check = (values: { MODE: string; SECRET: string | undefined }) =>
      values.MODE === 'production' && values.SECRET === undefined ? [{ variable: 'SECRET', problem: 'is required in production' }] : [];

    expect(parseConfig({ MODE: 'production', SECRET: 's' }, spec, 'svc', check)).toEqual({ MODE: 'production', SECRET: 's' });
    expect(configError(() => parseConfig({ MODE: 'production' }, spec, 'svc', check)).message).toBe(
      'Invalid configuration for svc:\n  - SECRET: is required in production',
    );
    // A wrong variable is named alone: the check would only repeat it.
    expect(configError(() => parseConfig({ MODE: 'prod' }, spec, 'svc', check)).problems.map((p) => p.variable)).toEqual(['MODE']);
  });
});
