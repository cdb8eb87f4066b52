import type { Decider } from '@agentledger/event-sourcing';

/**
 * Given/when/then for a decider (pure: no bus, no database):
 * `spec.given([events]).when(command).then([events])`, `.thenNothing()` or `.thenThrows(error)`.
 */
export interface DeciderSpecification<Command, Event> {
  given(events: readonly Event[]): {
    when(command: Command): {
      then(expected: readonly Event[]): void;
      thenNothing(): void;
      /** The error `decide` throws: its class, an instance to compare (class and message), or a message pattern. */
      thenThrows(expected: (new (...args: never[]) => Error) | Error | RegExp | string): void;
    };
  };
}

function fail(message: string): never {
  throw new Error(message);
}

const show = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2);

function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (actual instanceof Date && expected instanceof Date) return actual.getTime() === expected.getTime();
  if (typeof actual === 'object' && typeof expected === 'object' && actual !== null && expected !== null) {
    // Decimals and other value objects compare by what they print.
    if (typeof (actual as { equals?: unknown }).equals === 'function' && !Array.isArray(actual)) return String(actual) === String(expected);
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      if (!sameValue((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key])) return false;
    }
    return true;
  }
  return false;
}

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>): DeciderSpecification<Command, Event> {
    return {
      given(events) {
        return {
          when(command) {
            const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState));
            return {
              then(expected) {
                const actual = run();
                if (!sameValue(actual, expected)) fail(`decided events differ\nexpected: ${show(expected)}\nactual:   ${show(actual)}`);
              },
              thenNothing() {
                const actual = run();
                if (actual.length > 0) fail(`expected no events, decided ${show(actual)}`);
              },
              thenThrows(expected) {
                let thrown: unknown;
                try {
                  const actual = run();
                  fail(`expected an error, decided ${show(actual)}`);
                } catch (error) {
                  thrown = error;
                }
                if (!(thrown instanceof Error)) fail(`expected an Error, got ${String(thrown)}`);
                const message = thrown.message;
                if (typeof expected === 'string') {
                  if (message !== expected) fail(`expected error "${expected}", got "${message}"`);
                } else if (expected instanceof RegExp) {
                  if (!expected.test(message)) fail(`expected error matching ${expected}, got "${message}"`);
                } else if (expected instanceof Error) {
                  if (thrown.constructor !== expected.constructor || message !== expected.message)
                    fail(`expected ${expected.name}("${expected.message}"), got ${thrown.name}("${message}")`);
                } else {
                  const errorClass = expected as new (...args: never[]) => Error;
                  if (!(thrown instanceof errorClass)) fail(`expected a ${errorClass.name}, got ${(thrown as Error).name}("${message}")`);
                }
              },
            };
          },
        };
      },
    };
  },
};
