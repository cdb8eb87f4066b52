import type { FocusCostView } from '@agentledger/contracts';
import { focusPages, type PageCursor } from './focus-pages.js';

const event = (n: number) => ({ factKey: `nats|e-${n}`, time: `2026-10-05T00:00:${String(n).padStart(2, '0')}.000Z` }) as FocusCostView;
const events = (from: number, count: number) => Array.from({ length: count }, (_, i) => event(from + i));
const noRetry = <T>(ask: () => Promise<T>) => ask();

describe('the pages of a FOCUS export', () => {
  it('asks for each next page after the last event of the one before, before handing that one over, and stops at a short page', async () => {
    const log: string[] = [];
    const ask = async (limit: number, after: PageCursor | undefined) => {
      log.push(`ask ${limit} after ${after?.factKey}`);
      return after?.factKey === 'nats|e-2' ? events(3, 3) : events(6, 1);
    };
    const pages: string[][] = [];
    for await (const page of focusPages(events(0, 3), ask, 3, noRetry)) {
      log.push(`got ${page.length}`);
      pages.push(page.map((cost) => cost.factKey));
    }
    expect(pages).toEqual([['nats|e-0', 'nats|e-1', 'nats|e-2'], ['nats|e-3', 'nats|e-4', 'nats|e-5'], ['nats|e-6']]);
    expect(log).toEqual(['ask 3 after nats|e-2', 'got 3', 'ask 3 after nats|e-5', 'got 3', 'got 1']);
  });

  it('asks for nothing more after a short first page', async () => {
    let asked = 0;
    const ask = async () => {
      asked++;
      return [];
    };
    const pages = [];
    for await (const page of focusPages(events(0, 2), ask, 3, noRetry)) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(asked).toBe(0);
  });

  it('ends in the failure of a page that cannot be had, after the pages before it', async () => {
    const ask = async () => {
      throw new Error('attribution is gone');
    };
    const pages: number[] = [];
    await expect(
      (async () => {
        for await (const page of focusPages(events(0, 3), ask, 3, noRetry)) pages.push(page.length);
      })(),
    ).rejects.toThrow('attribution is gone');
    expect(pages).toEqual([3]);
  });
});
