export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. `{ consumer: 'pricing-costs' }`). */
  child(fields: LogFields): Logger;
  isLevelEnabled(level: LogLevel): boolean;
}

export interface LoggerOptions {
  /** Lowest level written; the caller passes `LOG_LEVEL` in. Default `info`. */
  level?: LogLevel;
  /** Receives one JSON document per entry, without a trailing newline. Default: stdout. */
  write?: (line: string) => void;
  /** Time source, injectable for tests. */
  now?: () => Date;
}

// These are written first and cannot be overwritten by fields, so a line can't lie about itself.
const RESERVED = new Set(['time', 'level', 'service', 'msg']);

const writeToStdout = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function createLogger(service: string, opts: LoggerOptions = {}): Logger {
  const context: LoggerContext = {
    service,
    level: opts.level ?? 'info',
    write: opts.write ?? writeToStdout,
    now: opts.now ?? (() => new Date()),
  };
  return new JsonLogger(context, {});
}

interface LoggerContext {
  readonly service: string;
  readonly level: LogLevel;
  readonly write: (line: string) => void;
  readonly now: () => Date;
}

class JsonLogger implements Logger {
  constructor(
    private readonly context: LoggerContext,
    private readonly bindings: LogFields,
  ) {}

  get level(): LogLevel {
    return this.context.level;
  }

  isLevelEnabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(this.context.level);
  }

  debug(msg: string, fields?: LogFields): void {
    this.emit('debug', msg, fields);
  }

  info(msg: string, fields?: LogFields): void {
    this.emit('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.emit('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.emit('error', msg, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger(this.context, { ...this.bindings, ...fields });
  }

  private emit(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    if (!this.isLevelEnabled(level)) return;
    const entry: LogFields = {
      time: this.context.now().toISOString(),
      level,
      service: this.context.service,
      msg,
    };
    for (const source of [this.bindings, fields ?? {}]) {
      for (const [key, value] of Object.entries(source)) {
        if (!RESERVED.has(key)) entry[key] = value;
      }
    }
    this.context.write(formatLine(entry));
  }
}

/** Logging never throws: a field that can't be serialised is reported in the line instead. */
function formatLine(entry: LogFields): string {
  try {
    return JSON.stringify(entry, replaceUnserialisable);
  } catch (error) {
    const { time, level, service, msg } = entry;
    return JSON.stringify({ time, level, service, msg, logError: `fields not serialisable: ${String(error)}` });
  }
}

function replaceUnserialisable(_key: string, value: unknown): unknown {
  if (value instanceof Error) return serialiseError(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const MAX_CAUSE_DEPTH = 5;

export interface SerialisedError {
  name: string;
  message: string;
  stack?: string;
  code?: unknown;
  cause?: unknown;
}

/** `message` and `stack` are not enumerable, so `JSON.stringify(error)` would give `{}`. */
export function serialiseError(error: Error, depth = 0): SerialisedError {
  const serialised: SerialisedError = { name: error.name, message: error.message };
  if (error.stack !== undefined) serialised.stack = error.stack;
  const { code, cause } = error as Error & { code?: unknown };
  if (code !== undefined) serialised.code = code;
  if (cause !== undefined) {
    // A bounded walk: cause chains can be cyclic.
    if (!(cause instanceof Error)) serialised.cause = cause;
    else serialised.cause = depth < MAX_CAUSE_DEPTH ? serialiseError(cause, depth + 1) : String(cause);
  }
  return serialised;
}
