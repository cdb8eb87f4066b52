/**
 * A budget's current period in its own time zone (contract part D): `DAY` from local 00:00,
 * `WEEK` from Monday 00:00, `MONTH` from the 1st 00:00, always `[start, end)` with `end` the
 * next period's start. So a DAY lasts 23 or 25 hours across a daylight-saving change.
 *
 * A period starts at the *start of its first day*, as java.time's `LocalDate.atStartOfDay(zone)`
 * and Temporal's `startOfDay()` define it: local midnight; when midnight happens twice (a clock
 * set back from 01:00), the first time; when it never happens (a clock set forward from 00:00,
 * as in America/Santiago or America/Havana), the first instant after the gap.
 *
 * Pure: the instant is a parameter. A zone's offset is read only through `Intl.DateTimeFormat`
 * (Node ships full ICU), so the zone rules are the runtime's tz data.
 */
export type BudgetPeriod = 'DAY' | 'WEEK' | 'MONTH';

export interface PeriodBounds {
  start: Date;
  end: Date;
}

/** A local calendar date; `month` is 1–12. Out-of-range days and months roll over (Date.UTC). */
interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

/** The period of `period` that contains `instant` in `timeZone`. Throws RangeError on an unknown zone. */
export function periodContaining(period: BudgetPeriod, timeZone: string, instant: Date): PeriodBounds {
  const clock = wallClock(timeZone);
  const today = civilDateOf(wallTime(clock, instant.getTime()));
  const [first, next] = periodDays(period, today);
  return { start: new Date(startOfDay(clock, first)), end: new Date(startOfDay(clock, next)) };
}

/** The first day of the period holding `today`, and the first day of the one after. */
function periodDays(period: BudgetPeriod, today: CivilDate): [CivilDate, CivilDate] {
  const { year, month, day } = today;
  switch (period) {
    case 'DAY':
      return [today, { year, month, day: day + 1 }];
    case 'WEEK': {
      const sinceMonday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
      return [
        { year, month, day: day - sinceMonday },
        { year, month, day: day - sinceMonday + 7 },
      ];
    }
    case 'MONTH':
      return [
        { year, month, day: 1 },
        { year, month: month + 1, day: 1 },
      ];
    default: {
      const unknown: never = period;
      throw new RangeError(`unknown budget period ${String(unknown)}`);
    }
  }
}

/**
 * The instant a local date starts in the zone. Local midnight, read as if it were UTC, is
 * `midnight`; an instant `t` shows it when `t + offset(t) = midnight`. The only offsets that can
 * apply are those in force a day either side (no zone changes its offset twice within two days),
 * so the candidates are `midnight − before` and `midnight − after`, each re-checked.
 */
function startOfDay(clock: Intl.DateTimeFormat, date: CivilDate): number {
  const midnight = Date.UTC(date.year, date.month - 1, date.day);
  const before = offsetAt(clock, midnight - DAY_MS);
  const after = offsetAt(clock, midnight + DAY_MS);
  const showingMidnight = [midnight - before, midnight - after].filter(
    (candidate) => wallTime(clock, candidate) === midnight,
  );
  // Midnight twice (an overlap): the earlier; never (a gap): the instant the gap ends.
  if (showingMidnight.length > 0) return Math.min(...showingMidnight);
  return endOfGap(clock, midnight - after, midnight - before, midnight);
}

/**
 * The first instant whose local time is at or past `midnight`, given that the wall clock shows
 * less at `lo` and at least `midnight` at `hi` (they bracket the jump). Bisection to the millisecond.
 */
function endOfGap(clock: Intl.DateTimeFormat, lo: number, hi: number, midnight: number): number {
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallTime(clock, mid) >= midnight) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Local time minus UTC, in ms, at `instant`. Offsets are whole seconds (LMT included). */
function offsetAt(clock: Intl.DateTimeFormat, instant: number): number {
  const wholeSecond = Math.floor(instant / SECOND_MS) * SECOND_MS;
  return localFields(clock, wholeSecond) - wholeSecond;
}

/** The zone's wall clock at `instant`, as ms since 1970-01-01T00:00 local ("as if UTC"). */
function wallTime(clock: Intl.DateTimeFormat, instant: number): number {
  return instant + offsetAt(clock, instant);
}

/** The wall clock's fields (to the second) at `instant`, as if they were UTC. */
function localFields(clock: Intl.DateTimeFormat, instant: number): number {
  const field = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of clock.formatToParts(instant)) {
    if (part.type in field) field[part.type as keyof typeof field] = Number(part.value);
  }
  return Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second);
}

function civilDateOf(wall: number): CivilDate {
  const date = new Date(wall);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (building one costs far more than using it); throws on an unknown zone. */
function wallClock(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23', // 00–23; `hour12: false` can print midnight as 24
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** A sign followed by a digit: `+05:30`, `UTC+1`, `GMT-3`, `Etc/GMT-5`. */
const OFFSET_SHAPED = /[+-]\d/;

/**
 * Whether `name` is an IANA time zone a budget may use. The project's rule is "time zones are
 * IANA names, never fixed offsets", so on top of what Intl accepts (case-insensitively: "UTC",
 * "Etc/UTC", "GMT", "Europe/Berlin", "europe/berlin", the links "Asia/Calcutta", "US/Eastern")
 * every offset-shaped name is refused: "+05:30", "UTC+1", "GMT+5" (which newer runtimes'
 * Intl accepts as offset zones) and the IANA `Etc/GMT±N` zones too, which are fixed offsets with
 * an inverted sign ("Etc/GMT-5" is UTC+5), a trap rather than a place.
 */
export function isTimeZone(name: string): boolean {
  if (OFFSET_SHAPED.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
