import { headers as natsHeaders } from '@nats-io/transport-node';
import { priceSetCodec } from '@agentledger/contracts';
import { ConcurrencyError, STREAMS, streamIn } from '@agentledger/jetstream';
import { formatDecimal } from '@agentledger/money';
import { applyOnce } from '@agentledger/projections';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import { catalogApplier, CATALOG_PROJECTION, priceEventKey } from '../catalog/catalog.projection.js';
import type { SetPriceDeps } from '../prices/set-price.handler.js';
import { decide, InvalidUnitPriceCommand, type SetUnitPrice } from './decider.js';
import { initialUnitPriceState, type UnitPriceSetEvent } from './unit-price.js';
import { unitPriceSetToWire, unitPriceSubject } from './unit-price-wire.js';

/** A unit price as GraphQL shows it: kind TOOL or SAAS, vendor null when the tool price covers any vendor. */
export interface UnitPriceView {
  kind: 'TOOL' | 'SAAS';
  vendor: string | null;
  name: string;
  unit: string;
  pricePerUnit: string;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export function unitPriceView(data: Pick<UnitPriceSetEvent['data'], 'kind' | 'vendor' | 'name' | 'unit'>, entry: { pricePerUnit: string; effectiveFrom: Date; effectiveTo?: Date | null }): UnitPriceView {
  return {
    kind: data.kind === 'tool' ? 'TOOL' : 'SAAS',
    vendor: data.vendor || null,
    name: data.name,
    unit: data.unit,
    pricePerUnit: entry.pricePerUnit,
    effectiveFrom: entry.effectiveFrom.toISOString(),
    effectiveTo: entry.effectiveTo?.toISOString() ?? null,
  };
}

const CONCURRENCY_RETRIES = 5;

/**
 * `setUnitPrice`: decide, append to the unit price aggregate's subject with optimistic
 * concurrency, and project it at once (re-pricing what it covers) so the next metered fact
 * already sees it; the catalog consumer skips it later (same key).
 */
export async function handleSetUnitPrice(deps: SetPriceDeps, request: QueryRequest): Promise<UnitPriceView> {
  const args = (request.args ?? {}) as SetUnitPrice['data'];
  const command: SetUnitPrice = { type: 'SetUnitPrice', data: { ...args, tenant: request.tenant }, metadata: { actor: request.actor ?? 'unknown', now: deps.clock() } };
  let events;
  try {
    events = decide(command, initialUnitPriceState);
  } catch (error) {
    if (error instanceof InvalidUnitPriceCommand) throw new QueryError('BAD_USER_INPUT', error.message);
    throw error;
  }
  const [event] = events;
  if (!event) throw new Error('decide returned no event');
  const subject = unitPriceSubject(deps.ns, event.data);
  const stream = streamIn(deps.ns, STREAMS.prices.name);
  const headers = natsHeaders();
  headers.set('Content-Type', priceSetCodec.contentType);
  for (let attempt = 1; ; attempt++) {
    const expected = (await deps.jsm.streams.getMessage(stream, { last_by_subj: subject }))?.seq ?? 0;
    try {
      const ack = await deps.publisher.publish(subject, unitPriceSetToWire(event), { expectLastSubjectSequence: expected, headers });
      await applyOnce(deps.db, CATALOG_PROJECTION, [{ key: priceEventKey(ack.seq), event: { event, streamSequence: ack.seq } }], catalogApplier(deps.repricing));
      break;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= CONCURRENCY_RETRIES) throw error;
    }
  }
  return unitPriceView(event.data, { ...event.data.entry, pricePerUnit: formatDecimal(event.data.entry.pricePerUnit) });
}

