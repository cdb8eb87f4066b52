import { classifyFailure, isPermanent, isTransient, isUnavailable, PermanentError, TransientError } from './errors.js';

/** The shape Prisma 7 gives a failed raw query: P2010, the driver adapter's error in `meta`. */
const rawQueryFailed = (cause: Record<string, unknown>) => Object.assign(new Error('Raw query failed'), { code: 'P2010', meta: { driverAdapterError: { name: 'DriverAdapterError', cause } } });

describe('failure classification', () => {
  it.each([
    [{ code: '40001' }, 'transient'], // serialization failure
    [{ code: '40P01' }, 'transient'], // deadlock
    [{ code: '57014' }, 'transient'], // statement timeout
    [{ code: '57P01' }, 'unavailable'], // admin shutdown
    [{ code: '57P03' }, 'unavailable'], // cannot connect now (starting up)
    [{ code: '53300' }, 'unavailable'], // too many connections
    [{ code: '08006' }, 'unavailable'], // connection failure
    [{ code: 'ECONNREFUSED' }, 'unavailable'],
    [{ code: 'P1001' }, 'unavailable'], // Prisma: database not reachable
    [{ code: 'P2037' }, 'unavailable'], // Prisma: too many connections
    [Object.assign(new Error("Can't reach database server"), { name: 'PrismaClientInitializationError', errorCode: 'P1001' }), 'unavailable'], // its code is `errorCode`
    [{ code: 'P2034' }, 'transient'], // Prisma: transaction conflict
    [rawQueryFailed({ kind: 'postgres', code: '57P01', originalCode: '57P01' }), 'unavailable'],
    [rawQueryFailed({ kind: 'TooManyConnections', originalCode: '53300' }), 'unavailable'],
    [rawQueryFailed({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }), 'unavailable'],
    [rawQueryFailed({ kind: 'ConnectionClosed' }), 'unavailable'],
    [rawQueryFailed({ kind: 'TransactionWriteConflict', originalCode: '40001' }), 'transient'],
    [rawQueryFailed({ kind: 'postgres', code: '55P03', originalCode: '55P03' }), 'transient'], // lock not available
    [rawQueryFailed({ kind: 'UniqueConstraintViolation', originalCode: '23505' }), 'unknown'],
    [rawQueryFailed({ kind: 'postgres', code: '42601', originalCode: '42601' }), 'unknown'], // syntax error
    [new Error('Connection terminated unexpectedly'), 'unavailable'], // node-postgres, no code
    [new Error('wrapped', { cause: { code: '08006' } }), 'unavailable'],
    [new TransientError('broker busy'), 'transient'],
    [{ code: '23505' }, 'unknown'], // unique violation: retrying cannot help
    [new PermanentError('bad'), 'permanent'],
    [new Error('bug'), 'unknown'],
  ])('%j is %s', (error, kind) => {
    expect(classifyFailure(error)).toBe(kind);
    expect(isTransient(error)).toBe(kind === 'transient' || kind === 'unavailable');
    expect(isUnavailable(error)).toBe(kind === 'unavailable');
  });

  it('a permanent error carries its category for metrics', () => {
    const error = new PermanentError('field x: required', 'invalid');
    expect(isPermanent(error)).toBe(true);
    expect(error.category).toBe('invalid');
  });
});
