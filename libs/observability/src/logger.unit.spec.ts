import { createLogger, type LoggerOptions } from './logger.js';
import { NestJsonLogger } from './nest-json-logger.js';

const TIME = '2025-03-01T12:00:00.000Z';

function capture(opts: LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = createLogger('pricing', { now: () => new Date(TIME), write: (line) => lines.push(line), ...opts });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, entries };
}

describe('createLogger', () => {
  it('writes one JSON line per entry with time, level, service, msg first, then the fields', () => {
    const { logger, lines } = capture();

    logger.info('batch applied', { consumer: 'pricing-costs', count: 3 });

    expect(lines).toEqual([
      '{"time":"2025-03-01T12:00:00.000Z","level":"info","service":"pricing","msg":"batch applied","consumer":"pricing-costs","count":3}',
    ]);
  });

  it('drops entries below the level it was given', () => {
    const { logger, entries } = capture({ level: 'warn' });

    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');

    expect(entries().map((entry) => [entry.level, entry.msg])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.isLevelEnabled('error')).toBe(true);
  });

  it('logs at info by default, debug included only when asked', () => {
    const atInfo = capture();
    const atDebug = capture({ level: 'debug' });

    atInfo.logger.debug('hidden');
    atDebug.logger.debug('shown', { step: 1 });

    expect(atInfo.lines).toEqual([]);
    expect(atDebug.entries()).toEqual([{ time: TIME, level: 'debug', service: 'pricing', msg: 'shown', step: 1 }]);
  });

  it('serialises errors with name, message, stack and cause', () => {
    const { logger, entries } = capture();
    const cause = new TypeError('socket closed');
    const error = Object.assign(new Error('publish failed', { cause }), { code: 'CONNECTION_CLOSED' });

    logger.error('cannot publish', { err: error });

    expect(entries()).toEqual([
      {
        time: TIME,
        level: 'error',
        service: 'pricing',
        msg: 'cannot publish',
        err: {
          name: 'Error',
          message: 'publish failed',
          stack: error.stack,
          code: 'CONNECTION_CLOSED',
          cause: { name: 'TypeError', message: 'socket closed', stack: cause.stack },
        },
      },
    ]);
  });

  it('adds the fields of child loggers, nested, to every line', () => {
    const { logger, entries } = capture();

    const consumer = logger.child({ consumer: 'budget-spend' }).child({ stream: 'COSTS' });
    consumer.info('fetching', { batch: 100 });
    logger.info('parent unchanged');

    expect(entries()).toEqual([
      { time: TIME, level: 'info', service: 'pricing', msg: 'fetching', consumer: 'budget-spend', stream: 'COSTS', batch: 100 },
      { time: TIME, level: 'info', service: 'pricing', msg: 'parent unchanged' },
    ]);
  });

  it('does not let fields overwrite time, level, service or msg', () => {
    const { logger, entries } = capture();

    logger.child({ service: 'other' }).warn('real', { msg: 'forged', level: 'debug', time: 'then', tenant: 't1' });

    expect(entries()).toEqual([{ time: TIME, level: 'warn', service: 'pricing', msg: 'real', tenant: 't1' }]);
  });

  it('never throws on fields JSON cannot hold', () => {
    const { logger, entries } = capture();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    logger.info('with bigint', { sequence: 12345678901234567890n });
    logger.info('with cycle', { cyclic });

    const [withBigint, withCycle] = entries();
    expect(withBigint).toEqual({ time: TIME, level: 'info', service: 'pricing', msg: 'with bigint', sequence: '12345678901234567890' });
    expect(withCycle).toMatchObject({ level: 'info', msg: 'with cycle' });
    expect(String(withCycle?.logError)).toMatch(/^fields not serialisable: TypeError: Converting circular structure to JSON/);
  });
});

describe('NestJsonLogger', () => {
  it('maps Nest levels onto ours and the trailing string onto context', () => {
    const { logger, entries } = capture({ level: 'debug' });
    const nest = new NestJsonLogger(logger);

    nest.log('Mapped {/healthz, GET} route', 'RouterExplorer');
    nest.warn('slow', 'Bootstrap');
    nest.verbose('details');
    nest.fatal('gone', 'Main');

    expect(entries()).toEqual([
      { time: TIME, level: 'debug', service: 'pricing', msg: 'Mapped {/healthz, GET} route', context: 'RouterExplorer' },
      { time: TIME, level: 'warn', service: 'pricing', msg: 'slow', context: 'Bootstrap' },
      { time: TIME, level: 'debug', service: 'pricing', msg: 'details' },
      { time: TIME, level: 'error', service: 'pricing', msg: 'gone', context: 'Main', fatal: true },
    ]);
  });

  it('keeps Nest start-up chatter (modules, routes) out of the info log', () => {
    const { logger, entries } = capture();
    const nest = new NestJsonLogger(logger);

    nest.log('Starting Nest application...', 'NestFactory');
    nest.log('AppModule dependencies initialized', 'InstanceLoader');
    nest.log('Mapped {/healthz, GET} route', 'RouterExplorer');
    nest.log('Nest application successfully started', 'NestApplication');
    nest.log('listening on 4000', 'Bootstrap');

    expect(entries()).toEqual([{ time: TIME, level: 'info', service: 'pricing', msg: 'listening on 4000', context: 'Bootstrap' }]);
  });

  it('keeps the stack Nest passes with errors apart from the context', () => {
    const { logger, entries } = capture();
    const nest = new NestJsonLogger(logger);
    const error = new Error('boom');

    nest.error('boom', error.stack, 'ExceptionsHandler');
    nest.error('no stack', undefined, 'ExceptionsHandler');
    nest.error(error);

    expect(entries()).toEqual([
      { time: TIME, level: 'error', service: 'pricing', msg: 'boom', context: 'ExceptionsHandler', stack: error.stack },
      { time: TIME, level: 'error', service: 'pricing', msg: 'no stack', context: 'ExceptionsHandler' },
      { time: TIME, level: 'error', service: 'pricing', msg: 'boom', err: { name: 'Error', message: 'boom', stack: error.stack } },
    ]);
  });

  it('writes non-string messages as JSON and skips disabled levels', () => {
    const { logger, entries } = capture();
    const nest = new NestJsonLogger(logger);

    nest.log({ port: 3000 }, 'Bootstrap');
    nest.debug('not at info');

    expect(entries()).toEqual([{ time: TIME, level: 'info', service: 'pricing', msg: '{"port":3000}', context: 'Bootstrap' }]);
  });
});
