import { isPermanent, isTransient, PermanentError, TransientError } from './errors.js';

describe('failure classification', () => {
  it.each([
    [{ code: '40001' }, true], // serialization failure
    [{ code: '40P01' }, true], // deadlock
    [{ code: '57P01' }, true], // admin shutdown
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: 'P2034' }, true], // Prisma: transaction conflict
    [new Error('wrapped', { cause: { code: '08006' } }), true],
    [new TransientError('broker busy'), true],
    [{ code: '23505' }, false], // unique violation: retrying cannot help
    [new PermanentError('bad'), false],
    [new Error('bug'), false],
  ])('%j transient: %s', (error, transient) => {
    expect(isTransient(error)).toBe(transient);
  });

  it('a permanent error carries its category for metrics', () => {
    const error = new PermanentError('field x: required', 'invalid');
    expect(isPermanent(error)).toBe(true);
    expect(error.category).toBe('invalid');
  });
});
