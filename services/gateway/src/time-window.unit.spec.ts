import { GraphQLError } from 'graphql';
import { timeWindow } from './time-window.js';

const at = (iso: string) => new Date(iso);

function rejection(from: string, to: string): { code: unknown; message: string } {
  try {
    timeWindow(at(from), at(to));
  } catch (error) {
    if (error instanceof GraphQLError) return { code: error.extensions.code, message: error.message };
    throw error;
  }
  throw new Error('expected the window to be rejected');
}

describe('time window', () => {
  it('hands services [from, to) as ISO strings', () => {
    expect(timeWindow(at('2025-03-01T00:00:00+01:00'), at('2025-03-02T00:00:00Z'))).toEqual({
      from: '2025-02-28T23:00:00.000Z',
      to: '2025-03-02T00:00:00.000Z',
    });
  });

  it('accepts exactly 400 days', () => {
    expect(timeWindow(at('2024-01-01T00:00:00Z'), at('2025-02-04T00:00:00Z')).to).toBe('2025-02-04T00:00:00.000Z');
  });

  it('rejects an empty or reversed window', () => {
    expect(rejection('2025-03-01T00:00:00Z', '2025-03-01T00:00:00Z')).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'The window is empty: from (2025-03-01T00:00:00.000Z) must be before to (2025-03-01T00:00:00.000Z)',
    });
    expect(rejection('2025-03-02T00:00:00Z', '2025-03-01T00:00:00Z').code).toBe('BAD_USER_INPUT');
  });

  it('rejects a window longer than 400 days', () => {
    expect(rejection('2024-01-01T00:00:00Z', '2025-02-04T00:00:00.001Z')).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'The window is longer than 400 days; ask for a shorter one',
    });
  });
});
