import { type BudgetPeriod, isTimeZone, periodContaining } from './budget-period.js';

const HOUR_MS = 3_600_000;

function bounds(period: BudgetPeriod, timeZone: string, instant: string): [string, string] {
  const { start, end } = periodContaining(period, timeZone, new Date(instant));
  return [start.toISOString(), end.toISOString()];
}

function hours(period: BudgetPeriod, timeZone: string, instant: string): number {
  const { start, end } = periodContaining(period, timeZone, new Date(instant));
  return (end.getTime() - start.getTime()) / HOUR_MS;
}

describe('periodContaining in UTC', () => {
  it('a DAY runs from 00:00 to the next 00:00', () => {
    expect(bounds('DAY', 'UTC', '2026-05-13T15:04:05.678Z')).toEqual(['2026-05-13T00:00:00.000Z', '2026-05-14T00:00:00.000Z']);
  });

  it('a WEEK runs from Monday 00:00 (2026-05-13 is a Wednesday)', () => {
    expect(bounds('WEEK', 'UTC', '2026-05-13T15:04:05.678Z')).toEqual(['2026-05-11T00:00:00.000Z', '2026-05-18T00:00:00.000Z']);
  });

  it('a MONTH runs from the 1st 00:00, across the year end too', () => {
    expect(bounds('MONTH', 'UTC', '2026-05-13T15:04:05.678Z')).toEqual(['2026-05-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z']);
    expect(bounds('MONTH', 'UTC', '2026-12-31T23:59:59.999Z')).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('a WEEK spans a month and a year end', () => {
    // 2026-12-31 is a Thursday.
    expect(bounds('WEEK', 'UTC', '2026-12-31T12:00:00Z')).toEqual(['2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
  });

  it('February has 29 days in a leap year (2028) and 28 otherwise (2027, 2100)', () => {
    expect(bounds('MONTH', 'UTC', '2028-02-29T23:59:59.999Z')).toEqual(['2028-02-01T00:00:00.000Z', '2028-03-01T00:00:00.000Z']);
    expect(hours('MONTH', 'UTC', '2028-02-10T00:00:00Z')).toBe(29 * 24);
    expect(bounds('MONTH', 'UTC', '2027-02-28T23:59:59.999Z')).toEqual(['2027-02-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z']);
    expect(hours('MONTH', 'UTC', '2027-02-10T00:00:00Z')).toBe(28 * 24);
    expect(hours('MONTH', 'UTC', '2100-02-10T00:00:00Z')).toBe(28 * 24);
  });

  it('an instant exactly at a boundary belongs to the period that starts there', () => {
    expect(bounds('DAY', 'UTC', '2026-05-14T00:00:00.000Z')).toEqual(['2026-05-14T00:00:00.000Z', '2026-05-15T00:00:00.000Z']);
    expect(bounds('DAY', 'UTC', '2026-05-13T23:59:59.999Z')).toEqual(['2026-05-13T00:00:00.000Z', '2026-05-14T00:00:00.000Z']);
    expect(bounds('MONTH', 'UTC', '2028-03-01T00:00:00.000Z')).toEqual(['2028-03-01T00:00:00.000Z', '2028-04-01T00:00:00.000Z']);
  });

  it('Etc/UTC is UTC', () => {
    expect(bounds('DAY', 'Etc/UTC', '2026-05-13T15:04:05Z')).toEqual(bounds('DAY', 'UTC', '2026-05-13T15:04:05Z'));
  });
});

describe('periodContaining across daylight-saving changes (America/New_York)', () => {
  it('the spring-forward DAY (2026-03-08) is 23 hours', () => {
    expect(bounds('DAY', 'America/New_York', '2026-03-08T12:00:00Z')).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(hours('DAY', 'America/New_York', '2026-03-08T12:00:00Z')).toBe(23);
  });

  it('the fall-back DAY (2026-11-01) is 25 hours, both 01:30s inside it', () => {
    const day = ['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'];
    expect(bounds('DAY', 'America/New_York', '2026-11-01T05:30:00Z')).toEqual(day); // 01:30 EDT
    expect(bounds('DAY', 'America/New_York', '2026-11-01T06:30:00Z')).toEqual(day); // 01:30 EST
    expect(hours('DAY', 'America/New_York', '2026-11-01T12:00:00Z')).toBe(25);
  });

  it('the WEEK holding the spring-forward Sunday is 167 hours, Monday to Monday', () => {
    expect(bounds('WEEK', 'America/New_York', '2026-03-08T12:00:00Z')).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(hours('WEEK', 'America/New_York', '2026-03-08T12:00:00Z')).toBe(167);
  });

  it('the WEEK holding the fall-back Sunday is 169 hours', () => {
    expect(bounds('WEEK', 'America/New_York', '2026-11-01T12:00:00Z')).toEqual(['2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(hours('WEEK', 'America/New_York', '2026-11-01T12:00:00Z')).toBe(169);
  });

  it('Sunday 23:59 local belongs to the week that began 6 days before; Monday 00:00 starts a new one', () => {
    // Sunday 2026-03-08 23:59:59.999 EDT, then Monday 2026-03-09 00:00 EDT.
    expect(bounds('WEEK', 'America/New_York', '2026-03-09T03:59:59.999Z')).toEqual(['2026-03-02T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(bounds('WEEK', 'America/New_York', '2026-03-09T04:00:00.000Z')).toEqual(['2026-03-09T04:00:00.000Z', '2026-03-16T04:00:00.000Z']);
  });

  it('the local date decides, not the UTC one', () => {
    // 2026-05-14T02:00Z is still 22:00 on the 13th in New York.
    expect(bounds('DAY', 'America/New_York', '2026-05-14T02:00:00Z')).toEqual(['2026-05-13T04:00:00.000Z', '2026-05-14T04:00:00.000Z']);
  });

  it('a MONTH holding a change has its two offsets at its ends', () => {
    expect(bounds('MONTH', 'America/New_York', '2026-03-20T00:00:00Z')).toEqual(['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z']);
  });
});

describe('periodContaining in zones offset by 30 and 45 minutes', () => {
  it('Asia/Kolkata (+05:30): the day starts 18:30 UTC the day before', () => {
    expect(bounds('DAY', 'Asia/Kolkata', '2026-05-13T12:00:00Z')).toEqual(['2026-05-12T18:30:00.000Z', '2026-05-13T18:30:00.000Z']);
    expect(bounds('DAY', 'Asia/Kolkata', '2026-05-13T18:29:59.999Z')).toEqual(['2026-05-12T18:30:00.000Z', '2026-05-13T18:30:00.000Z']);
    expect(bounds('DAY', 'Asia/Kolkata', '2026-05-13T18:30:00.000Z')).toEqual(['2026-05-13T18:30:00.000Z', '2026-05-14T18:30:00.000Z']);
  });

  it('Asia/Kolkata: a WEEK and a MONTH start at 18:30 UTC too', () => {
    expect(bounds('WEEK', 'Asia/Kolkata', '2026-05-13T12:00:00Z')).toEqual(['2026-05-10T18:30:00.000Z', '2026-05-17T18:30:00.000Z']);
    expect(bounds('MONTH', 'Asia/Kolkata', '2026-05-31T19:00:00Z')).toEqual(['2026-05-31T18:30:00.000Z', '2026-06-30T18:30:00.000Z']);
  });

  it('Asia/Kathmandu (+05:45): the day starts 18:15 UTC the day before', () => {
    expect(bounds('DAY', 'Asia/Kathmandu', '2026-05-13T12:00:00Z')).toEqual(['2026-05-12T18:15:00.000Z', '2026-05-13T18:15:00.000Z']);
    expect(bounds('DAY', 'Asia/Kathmandu', '2026-05-13T18:15:00.000Z')).toEqual(['2026-05-13T18:15:00.000Z', '2026-05-14T18:15:00.000Z']);
  });

  it('Australia/Lord_Howe (+10:30, a 30-minute DST): 24½ hours when it ends, 23½ when it starts', () => {
    // 2026-04-05 02:00 +11 → 01:30 +10:30; 2026-10-04 02:00 +10:30 → 02:30 +11.
    expect(bounds('DAY', 'Australia/Lord_Howe', '2026-04-05T00:00:00Z')).toEqual(['2026-04-04T13:00:00.000Z', '2026-04-05T13:30:00.000Z']);
    expect(hours('DAY', 'Australia/Lord_Howe', '2026-04-05T00:00:00Z')).toBe(24.5);
    expect(bounds('DAY', 'Australia/Lord_Howe', '2026-10-04T00:00:00Z')).toEqual(['2026-10-03T13:30:00.000Z', '2026-10-04T13:00:00.000Z']);
    expect(hours('DAY', 'Australia/Lord_Howe', '2026-10-04T00:00:00Z')).toBe(23.5);
  });

  it('Pacific/Chatham (+12:45, DST +13:45): the day starts 11:15 UTC the day before in winter', () => {
    expect(bounds('DAY', 'Pacific/Chatham', '2026-06-15T00:00:00Z')).toEqual(['2026-06-14T11:15:00.000Z', '2026-06-15T11:15:00.000Z']);
    expect(bounds('DAY', 'Pacific/Chatham', '2026-01-15T00:00:00Z')).toEqual(['2026-01-14T10:15:00.000Z', '2026-01-15T10:15:00.000Z']);
  });
});

describe('periodContaining when local midnight is skipped or repeated', () => {
  it('America/Santiago 2026-09-06 has no 00:00 (23:59:59 → 01:00): the day starts at 01:00, and lasts 23 hours', () => {
    expect(bounds('DAY', 'America/Santiago', '2026-09-06T12:00:00Z')).toEqual(['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
    expect(bounds('DAY', 'America/Santiago', '2026-09-06T04:00:00.000Z')).toEqual(['2026-09-06T04:00:00.000Z', '2026-09-07T03:00:00.000Z']);
    expect(bounds('DAY', 'America/Santiago', '2026-09-06T03:59:59.999Z')).toEqual(['2026-09-05T04:00:00.000Z', '2026-09-06T04:00:00.000Z']);
  });

  it('America/Santiago 2026-04-04 repeats 23:00–24:00: 25 hours, the next day at 00:00 −04', () => {
    expect(bounds('DAY', 'America/Santiago', '2026-04-05T03:30:00Z')).toEqual(['2026-04-04T03:00:00.000Z', '2026-04-05T04:00:00.000Z']);
    expect(bounds('DAY', 'America/Santiago', '2026-04-05T04:00:00Z')).toEqual(['2026-04-05T04:00:00.000Z', '2026-04-06T04:00:00.000Z']);
  });

  it('America/Havana 2026-03-08 has no 00:00 either: a 23-hour day from 01:00 −04', () => {
    expect(bounds('DAY', 'America/Havana', '2026-03-08T12:00:00Z')).toEqual(['2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
    expect(bounds('MONTH', 'America/Havana', '2026-03-08T12:00:00Z')).toEqual(['2026-03-01T05:00:00.000Z', '2026-04-01T04:00:00.000Z']);
  });

  it('America/Havana 2026-11-01 has 00:00 twice (01:00 −04 → 00:00 −05): the day starts at the first', () => {
    const day = ['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z'];
    expect(bounds('DAY', 'America/Havana', '2026-11-01T04:00:00Z')).toEqual(day);
    expect(bounds('DAY', 'America/Havana', '2026-11-01T05:00:00Z')).toEqual(day);
    expect(bounds('DAY', 'America/Havana', '2026-11-01T03:59:59.999Z')).toEqual(['2026-10-31T04:00:00.000Z', '2026-11-01T04:00:00.000Z']);
  });

  it('Pacific/Apia skipped 2011-12-30 altogether: the 29th ends where the 31st begins', () => {
    expect(bounds('DAY', 'Pacific/Apia', '2011-12-29T12:00:00Z')).toEqual(['2011-12-29T10:00:00.000Z', '2011-12-30T10:00:00.000Z']);
    expect(bounds('DAY', 'Pacific/Apia', '2011-12-30T10:00:00Z')).toEqual(['2011-12-30T10:00:00.000Z', '2011-12-31T10:00:00.000Z']);
    expect(hours('WEEK', 'Pacific/Apia', '2011-12-29T12:00:00Z')).toBe(6 * 24);
  });
});

describe('periodContaining over a whole year', () => {
  const zones = ['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana'];
  const periods: BudgetPeriod[] = ['DAY', 'WEEK', 'MONTH'];

  it.each(zones)('%s: every 7 hours of 2026 lies in its period, and each period ends where the next starts', (zone) => {
    for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 7 * HOUR_MS) {
      for (const period of periods) {
        const { start, end } = periodContaining(period, zone, new Date(t));
        expect(start.getTime() <= t && t < end.getTime()).toBe(true);
        expect(periodContaining(period, zone, end).start).toEqual(end);
      }
    }
  });
});

describe('periodContaining given a bad zone', () => {
  it('throws a RangeError', () => {
    expect(() => periodContaining('DAY', 'Mars/Olympus', new Date('2026-05-13T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('isTimeZone', () => {
  const ianaNames = ['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Europe/Berlin', 'europe/berlin', 'Asia/Kolkata', 'Asia/Calcutta'];
  const moreIanaNames = ['America/Argentina/Buenos_Aires', 'America/Port-au-Prince', 'US/Eastern', 'EST5EDT'];

  it.each([...ianaNames, ...moreIanaNames])('accepts the IANA name %j', (name) => {
    expect(isTimeZone(name)).toBe(true);
  });

  it.each(['+05:30', '-03:00', '+0530', 'UTC+1', 'GMT+5', 'GMT-05:30', 'Etc/GMT-5', 'Etc/GMT+12', 'Etc/GMT+0'])(
    'refuses the fixed offset %j',
    (name) => {
      expect(isTimeZone(name)).toBe(false);
    },
  );

  it.each(['', 'Mars/Olympus', 'Europe/Berlin ', 'local', 'Z', 'Etc/Unknown'])('refuses %j, which is no zone', (name) => {
    expect(isTimeZone(name)).toBe(false);
  });
});
