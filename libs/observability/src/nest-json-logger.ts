import type { LoggerService } from '@nestjs/common';
import { serialiseError, type LogFields, type Logger, type LogLevel } from './logger.js';

/**
 * Nest's own log lines (bootstrap, routes, unhandled exceptions) as JSON through our `Logger`:
 * `NestFactory.create(AppModule, { logger: new NestJsonLogger(logger) })`.
 *
 * Nest calls `log(message, ...params, context?)` and `error(message, stack?, context?)`, so the
 * trailing string is the context (e.g. `RoutesResolver`), and a string that reads like a stack
 * trace is the stack. Its start-up lines (modules, routes) go out at debug level.
 */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    // Nest's bootstrap chatter (modules loaded, each route mapped) is for whoever debugs Nest.
    this.write(FRAMEWORK_CONTEXTS.has(contextOf(params) ?? '') ? 'debug' : 'info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, { fatal: true });
  }

  private write(level: LogLevel, message: unknown, params: unknown[], extra: LogFields = {}): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const { msg, fields } = toEntry(message, params);
    this.logger[level](msg, { ...fields, ...extra });
  }
}

const STACK_TRACE = /\n\s+at /;

/** The contexts of Nest's start-up lines: logged at debug, not info. */
const FRAMEWORK_CONTEXTS = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication', 'GraphQLModule']);

const contextOf = (params: readonly unknown[]): string | undefined => {
  const last = params.filter((param) => param !== undefined).at(-1);
  return typeof last === 'string' && !STACK_TRACE.test(last) ? last : undefined;
};

function toEntry(message: unknown, params: unknown[]): { msg: string; fields: LogFields } {
  // Nest passes `undefined` for an absent stack, e.g. `error(msg, undefined, 'ExceptionsHandler')`.
  const rest = params.filter((param) => param !== undefined);
  const fields: LogFields = {};
  const last = rest.at(-1);
  if (typeof last === 'string' && !STACK_TRACE.test(last)) {
    fields.context = last;
    rest.pop();
  }
  if (typeof rest[0] === 'string' && STACK_TRACE.test(rest[0])) {
    fields.stack = rest.shift();
  }
  if (rest.length > 0) fields.params = rest;
  if (message instanceof Error) {
    fields.err = serialiseError(message);
    return { msg: message.message, fields };
  }
  return { msg: typeof message === 'string' ? message : describe(message), fields };
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
