import { TenantFanOut } from './tenant-fan-out.js';

const take = async <T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> => {
  const items: T[] = [];
  for (let i = 0; i < count; i++) items.push((await iterator.next()).value as T);
  return items;
};

describe('TenantFanOut', () => {
  it("hands each item to every subscriber of its tenant and to no one else's", async () => {
    const fanOut = new TenantFanOut<string>();
    const a1 = fanOut.subscribe('a');
    const a2 = fanOut.subscribe('a');
    const b = fanOut.subscribe('b');
    fanOut.publish('a', 'x');
    fanOut.publish('b', 'y');
    fanOut.publish('a', 'z');
    expect(await take(a1, 2)).toEqual(['x', 'z']);
    expect(await take(a2, 2)).toEqual(['x', 'z']);
    expect(await take(b, 1)).toEqual(['y']);
  });

  it('resolves a waiting subscriber when an item arrives', async () => {
    const fanOut = new TenantFanOut<string>();
    const a = fanOut.subscribe('a');
    const next = a.next();
    fanOut.publish('a', 'x');
    expect(await next).toEqual({ value: 'x', done: false });
  });

  it('keeps a slow subscriber to its newest items, without holding up the others', async () => {
    const fanOut = new TenantFanOut<number>(3);
    const slow = fanOut.subscribe('a');
    const fast = fanOut.subscribe('a');
    const seenByFast: number[] = [];
    for (let i = 1; i <= 5; i++) {
      fanOut.publish('a', i);
      seenByFast.push((await fast.next()).value as number);
    }
    expect(seenByFast).toEqual([1, 2, 3, 4, 5]);
    expect(await take(slow, 3)).toEqual([3, 4, 5]);
  });

  it('forgets a subscriber once it is closed, and ends its pending next', async () => {
    const fanOut = new TenantFanOut<string>();
    const a = fanOut.subscribe('a');
    const pending = a.next();
    expect(fanOut.listening('a')).toBe(1);
    await a.return!();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(fanOut.listening('a')).toBe(0);
    fanOut.publish('a', 'late');
    expect(await a.next()).toEqual({ value: undefined, done: true });
  });
});
