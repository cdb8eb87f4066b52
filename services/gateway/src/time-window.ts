import { badUserInput } from './graphql/errors.js';

/** The longest window a query may span: a year and a bit, so year-over-year views fit. */
export const MAX_WINDOW_DAYS = 400;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A window `[from, to)` as services receive it. */
export interface TimeWindow {
  readonly from: string;
  readonly to: string;
}

/** Checks a client's window and writes it as ISO strings; throws BAD_USER_INPUT otherwise. */
export function timeWindow(from: Date, to: Date): TimeWindow {
  if (from.getTime() >= to.getTime()) {
    throw badUserInput(`The window is empty: from (${from.toISOString()}) must be before to (${to.toISOString()})`);
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
    throw badUserInput(`The window is longer than ${MAX_WINDOW_DAYS} days; ask for a shorter one`);
  }
  return { from: from.toISOString(), to: to.toISOString() };
}
