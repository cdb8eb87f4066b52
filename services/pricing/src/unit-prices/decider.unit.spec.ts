import { CommandRejected } from '@agentledger/event-sourcing';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import { DeciderSpecification } from '@agentledger/testing';
import { decide, InvalidUnitPriceCommand, unitPriceDecider, type SetUnitPrice } from './decider.js';
import { evolve, initialUnitPriceState, type UnitPriceSetEvent } from './unit-price.js';

const now = new Date('2026-11-28T10:00:00Z');
const setUnitPrice = (data: Partial<SetUnitPrice['data']> = {}): SetUnitPrice => ({
  type: 'SetUnitPrice',
  data: { tenant: 'acme', kind: 'TOOL', name: 'Web_Search', unit: 'Search', pricePerUnit: '0.0050', effectiveFrom: '2026-01-01T00:00:00Z', ...data },
  metadata: { actor: 'key:admin', now },
});
const unitPriceSet = (entry: Partial<UnitPriceSetEvent['data']['entry']> & { effectiveFrom: Date }): UnitPriceSetEvent => ({
  type: 'UnitPriceSet',
  data: { tenant: 'acme', kind: 'tool', vendor: '', name: 'web_search', unit: 'search', entry: { pricePerUnit: parseDecimal('0.005'), currency: 'USD', ...entry } },
  metadata: { setBy: 'key:admin', setAt: now },
});
const at = (iso: string) => new Date(iso);
const given = DeciderSpecification.for(unitPriceDecider).given;

describe('unit price decider', () => {
  it('given no price, when a tool price is set without vendor, then UnitPriceSet for any vendor, exact, normalised', () => {
    given([]).when(setUnitPrice()).then([unitPriceSet({ effectiveFrom: at('2026-01-01T00:00:00Z') })]);
    const [event] = decide(setUnitPrice(), initialUnitPriceState);
    expect(formatDecimal(event!.data.entry.pricePerUnit)).toBe('0.005');
    expect(event!.data.entry.effectiveTo).toBeUndefined();
  });

  it('a SaaS price is per vendor, product and unit', () => {
    const [event] = decide(setUnitPrice({ kind: 'saas', vendor: 'Intercom', name: 'fin', unit: 'resolution', pricePerUnit: '0.99' }), initialUnitPriceState);
    expect(event!.data).toMatchObject({ kind: 'saas', vendor: 'intercom', name: 'fin', unit: 'resolution' });
  });

  it.each([
    [{ kind: 'MODEL' }, 'kind: "MODEL" is not TOOL or SAAS'],
    [{ kind: 'SAAS', vendor: null }, 'vendor: must be 1-200 characters without spaces'],
    [{ name: '' }, 'name: must be 1-200 characters without spaces'],
    [{ unit: 'per call' }, 'unit: must be 1-200 characters without spaces'],
    [{ pricePerUnit: '-0.01' }, 'pricePerUnit: must not be negative'],
    [{ pricePerUnit: '1e-3' }, 'pricePerUnit: "1e-3" is not a decimal string'],
    [{ effectiveFrom: 'soon' }, 'effectiveFrom: "soon" is not an RFC 3339 date-time'],
    [{ effectiveTo: '2026-01-01T00:00:00Z' }, 'effectiveTo: must be after effectiveFrom'],
  ])('rejects %j', (data, message) => {
    given([]).when(setUnitPrice(data as Partial<SetUnitPrice['data']>)).thenThrows(new InvalidUnitPriceCommand(message));
  });

  it('given the same price in force from that instant, setting it again changes nothing', () => {
    given([unitPriceSet({ effectiveFrom: at('2026-01-01T00:00:00Z') })]).when(setUnitPrice({ pricePerUnit: '0.005' })).thenNothing();
  });

  it('given a price from June, a price from March ending in July is rejected (June takes over first)', () => {
    given([unitPriceSet({ effectiveFrom: at('2026-06-01T00:00:00Z'), pricePerUnit: parseDecimal('0.004') })])
      .when(setUnitPrice({ effectiveFrom: '2026-03-01T00:00:00Z', effectiveTo: '2026-07-01T00:00:00Z' }))
      .thenThrows(
        new CommandRejected(
          'effectiveTo: the unit price from 2026-06-01T00:00:00.000Z takes over before 2026-07-01T00:00:00.000Z; end this one at or before 2026-06-01T00:00:00.000Z',
          'conflict',
        ),
      );
  });

  it('a price set again at the same instant replaces the entry; other instants are kept in order', () => {
    const events = [
      ...decide(setUnitPrice({ effectiveFrom: '2026-06-01T00:00:00Z', pricePerUnit: '0.004' }), initialUnitPriceState),
      ...decide(setUnitPrice(), initialUnitPriceState),
      ...decide(setUnitPrice({ pricePerUnit: '0.006' }), initialUnitPriceState),
    ];
    const state = events.reduce(evolve, initialUnitPriceState);
    expect(state.entries.map((entry) => [entry.effectiveFrom.toISOString(), formatDecimal(entry.pricePerUnit)])).toEqual([
      ['2026-01-01T00:00:00.000Z', '0.006'],
      ['2026-06-01T00:00:00.000Z', '0.004'],
    ]);
  });
});
