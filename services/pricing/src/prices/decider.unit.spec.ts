import { CommandRejected } from '@agentledger/event-sourcing';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import { DeciderSpecification } from '@agentledger/testing';
import { decide, InvalidPriceCommand, priceDecider, type SetPrice } from './decider.js';
import { evolve, initialPriceState, type PriceSetEvent } from './price.js';

const now = new Date('2026-11-28T10:00:00Z');
const setPrice = (data: Partial<SetPrice['data']> = {}): SetPrice => ({
  type: 'SetPrice',
  data: { tenant: 'acme', provider: 'OpenAI', model: 'GPT-4o-Mini', inputPer1M: '0.15', outputPer1M: '0.60', effectiveFrom: '2026-01-01T00:00:00Z', ...data },
  metadata: { actor: 'key:admin', now },
});
const priceSet = (entry: Partial<PriceSetEvent['data']['entry']> & { effectiveFrom: Date }, setAt = now): PriceSetEvent => ({
  type: 'PriceSet',
  data: { tenant: 'acme', provider: 'openai', model: 'gpt-4o-mini', entry: { inputPer1M: parseDecimal('0.15'), outputPer1M: parseDecimal('0.6'), currency: 'USD', ...entry } },
  metadata: { setBy: 'key:admin', setAt },
});
const at = (iso: string) => new Date(iso);
const given = DeciderSpecification.for(priceDecider).given;

describe('price decider', () => {
  it('given no price, when a price is set, then PriceSet with exact rates and normalised names', () => {
    given([])
      .when(setPrice({ cacheReadPer1M: '0.075' }))
      .then([priceSet({ effectiveFrom: at('2026-01-01T00:00:00Z'), cacheReadPer1M: parseDecimal('0.075') })]);
    const [event] = decide(setPrice({ cacheReadPer1M: '0.075' }), initialPriceState);
    expect(formatDecimal(event!.data.entry.outputPer1M)).toBe('0.6');
    expect(event!.data.entry.cacheWritePer1M).toBeUndefined();
  });

  it.each([
    [{ inputPer1M: '-1' }, 'inputPer1M: must not be negative'],
    [{ outputPer1M: '1e3' }, 'outputPer1M: "1e3" is not a decimal string'],
    [{ effectiveFrom: 'yesterday' }, 'effectiveFrom: "yesterday" is not an RFC 3339 date-time'],
    [{ effectiveTo: '2025-01-01T00:00:00Z' }, 'effectiveTo: must be after effectiveFrom'],
    [{ model: 'gpt 4' }, 'model: must be 1-200 characters without spaces'],
  ])('rejects %j', (data, message) => {
    given([]).when(setPrice(data)).thenThrows(new InvalidPriceCommand(message));
  });

  it('given the same entry in force from that instant, setting it again changes nothing', () => {
    given([priceSet({ effectiveFrom: at('2026-01-01T00:00:00Z'), outputPer1M: parseDecimal('0.60') })])
      .when(setPrice({ outputPer1M: '0.6' }))
      .thenNothing();
  });

  it('given an entry at that instant, other rates replace it (a correction of the price)', () => {
    given([priceSet({ effectiveFrom: at('2026-01-01T00:00:00Z') })])
      .when(setPrice({ inputPer1M: '0.1' }))
      .then([priceSet({ effectiveFrom: at('2026-01-01T00:00:00Z'), inputPer1M: parseDecimal('0.1') })]);
  });

  it('given a price from June, a price ending in July from March is rejected: June takes over before July (the folded state decides)', () => {
    given([priceSet({ effectiveFrom: at('2026-06-01T00:00:00Z') })])
      .when(setPrice({ effectiveFrom: '2026-03-01T00:00:00Z', effectiveTo: '2026-07-01T00:00:00Z' }))
      .thenThrows(
        new CommandRejected(
          'effectiveTo: the price from 2026-06-01T00:00:00.000Z takes over before 2026-07-01T00:00:00.000Z; end this one at or before 2026-06-01T00:00:00.000Z',
          'conflict',
        ),
      );
    // Ending at the takeover, or open-ended, is what the list can hold.
    given([priceSet({ effectiveFrom: at('2026-06-01T00:00:00Z') })])
      .when(setPrice({ effectiveFrom: '2026-03-01T00:00:00Z', effectiveTo: '2026-06-01T00:00:00Z' }))
      .then([priceSet({ effectiveFrom: at('2026-03-01T00:00:00Z'), effectiveTo: at('2026-06-01T00:00:00Z') })]);
  });

  it('a price set again at the same instant replaces the entry; other instants are kept in order', () => {
    const events = [
      ...decide(setPrice({ effectiveFrom: '2026-06-01T00:00:00Z', inputPer1M: '0.2' }), initialPriceState),
      ...decide(setPrice(), initialPriceState),
      ...decide(setPrice({ inputPer1M: '0.1' }), initialPriceState),
    ];
    const state = events.reduce(evolve, initialPriceState);
    expect(state.entries.map((entry) => [entry.effectiveFrom.toISOString(), formatDecimal(entry.inputPer1M)])).toEqual([
      ['2026-01-01T00:00:00.000Z', '0.1'],
      ['2026-06-01T00:00:00.000Z', '0.2'],
    ]);
  });
});
