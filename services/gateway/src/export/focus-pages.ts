import type { FocusCostView } from '@agentledger/contracts';
import { pageWithRetries } from './page-retry.js';

/** Where a page starts: after the last event of the page before (keyset paging). */
export interface PageCursor {
  readonly time: string;
  readonly factKey: string;
}

/** Asks attribution for the page after `after` (the first page when undefined), at most `limit` events. */
export type AskPage = (limit: number, after: PageCursor | undefined) => Promise<FocusCostView[]>;

/**
 * Events asked of attribution per page. A page travels as one JSON reply (gzipped), is decoded
 * whole and becomes rows, then bytes: its size bounds the export's memory. 1,000 events keep a
 * page's share of the gateway's heap to a few MB (5,000 took it past 290 MB resident), and the
 * next page is fetched while this one is encoded, so the smaller pages cost no throughput.
 */
export const FOCUS_PAGE_EVENTS = 1_000;

/**
 * The pages of an export in order, the first one given: before a page is handed over, the next
 * is asked for, so it arrives while the caller encodes this one. A page that fails is asked
 * again (`pageWithRetries`), then its failure ends the iteration. A short page is the last.
 */
export async function* focusPages(first: FocusCostView[], ask: AskPage, limit = FOCUS_PAGE_EVENTS, retry = pageWithRetries): AsyncGenerator<FocusCostView[]> {
  let page = first;
  for (;;) {
    const last = page.length >= limit ? page[page.length - 1] : undefined;
    const next = last === undefined ? undefined : retry(() => ask(limit, { time: last.time, factKey: last.factKey }));
    // Awaited after the yield; a failure meanwhile (or a caller that stops early) is not unhandled.
    next?.catch(() => undefined);
    yield page;
    if (next === undefined) return;
    page = await next;
  }
}
