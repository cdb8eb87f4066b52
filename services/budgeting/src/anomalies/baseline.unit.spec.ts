import { Decimal } from '@agentledger/money';
import { judgeHour, median, ruleWith } from './baseline.js';

const d = (value: string | number) => new Decimal(value);
const hours = (count: number, value: string) => Array.from({ length: count }, () => d(value));

describe('an agent hour against its own baseline (median and MAD)', () => {
  const spend = ruleWith(d('1.00'));

  it('medians of odd and even counts, and of nothing', () => {
    expect(median([d(3), d(1), d(2)]).toString()).toBe('2');
    expect(median([d(4), d(1), d(2), d(3)]).toString()).toBe('2.5');
    expect(median([]).toString()).toBe('0');
  });

  it('a steady agent (MAD 0) is judged against the floor, not against a cent more than usual', () => {
    const steady = hours(48, '2.00');
    expect(judgeHour(d('2.01'), steady, spend)).toMatchObject({ anomalous: false });
    // 2 + 5 × max(0, 0.25 × 2) = 4.5
    expect(judgeHour(d('4.50'), steady, spend)).toMatchObject({ anomalous: false, threshold: d('4.5') });
    expect(judgeHour(d('4.51'), steady, spend).anomalous).toBe(true);
  });

  it('uses the robust spread: a noisy agent needs a bigger jump, and one past spike does not raise the bar', () => {
    const noisy = Array.from({ length: 48 }, (_, hour) => d(hour % 2 === 0 ? '1.00' : '3.00'));
    // median 2, MAD 1 → 2 + 5 × 1.4826 = 9.413
    expect(judgeHour(d('9.41'), noisy, spend).anomalous).toBe(false);
    expect(judgeHour(d('9.42'), noisy, spend)).toMatchObject({ anomalous: true, threshold: d('9.413') });
    const withSpike = [...hours(47, '1.00'), d('500')];
    expect(judgeHour(d('6'), withSpike, spend).anomalous).toBe(true);
  });

  it('never pages below the minimum, even after a silent day', () => {
    expect(judgeHour(d('0.99'), hours(30, '0'), spend).anomalous).toBe(false);
    expect(judgeHour(d('1.00'), hours(30, '0'), spend).anomalous).toBe(true);
  });

  it('does not judge an agent with less than a day of history; looks back a week at most', () => {
    expect(judgeHour(d('100'), hours(23, '0.10'), spend)).toEqual(expect.objectContaining({ anomalous: false, threshold: null }));
    const longAgoBusy = [...hours(200, '50'), ...hours(168, '0.10')];
    expect(judgeHour(d('10'), longAgoBusy, spend).anomalous).toBe(true);
  });

  it('judges retries the same way, with a count as the minimum', () => {
    const retries = ruleWith(d(20));
    expect(judgeHour(d(19), hours(48, '0'), retries).anomalous).toBe(false);
    expect(judgeHour(d(25), hours(48, '4'), retries).anomalous).toBe(true);
    // 10 + 5 × 0.25 × 10 = 22.5
    expect(judgeHour(d(22), hours(48, '10'), retries).anomalous).toBe(false);
    expect(judgeHour(d(23), hours(48, '10'), retries).anomalous).toBe(true);
  });
});
