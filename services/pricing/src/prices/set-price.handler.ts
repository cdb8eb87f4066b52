import type { JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { priceSetCodec } from '@agentledger/contracts';
import { ConcurrencyError, STREAMS, streamIn, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import { formatDecimal } from '@agentledger/money';
import { applyOnce } from '@agentledger/projections';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';
import { catalogApplier, CATALOG_PROJECTION, priceEventKey } from '../catalog/catalog.projection.js';
import type { RepricingDeps } from '../costing/repricing.js';
import { decide, InvalidPriceCommand, type SetPrice } from './decider.js';
import { initialPriceState } from './price.js';
import { priceSetToWire, priceSubject } from './price-wire.js';

export interface SetPriceDeps {
  readonly db: PrismaClient;
  readonly jsm: JetStreamManager;
  readonly publisher: JetStreamPublisher;
  readonly ns: Namespace;
  readonly clock: () => Date;
  /** What re-pricing needs (the default catalog, its version): the handler projects at once. */
  readonly repricing: RepricingDeps;
}

export interface PriceView {
  provider: string;
  model: string;
  inputPer1M: string;
  outputPer1M: string;
  cacheReadPer1M: string | null;
  cacheWritePer1M: string | null;
  reasoningPer1M: string | null;
  requestFee: string | null;
  effectiveFrom: string;
  effectiveTo: string | null;
}

const CONCURRENCY_RETRIES = 5;

/**
 * `setPrice`: decide, append to the price aggregate's subject with optimistic concurrency,
 * and project it at once so the next priced event already sees it (the catalog consumer
 * skips it later: same key).
 */
export async function handleSetPrice(deps: SetPriceDeps, request: QueryRequest): Promise<PriceView> {
  const args = (request.args ?? {}) as SetPrice['data'];
  const command: SetPrice = { type: 'SetPrice', data: { ...args, tenant: request.tenant }, metadata: { actor: request.actor ?? 'unknown', now: deps.clock() } };
  let events;
  try {
    events = decide(command, initialPriceState);
  } catch (error) {
    if (error instanceof InvalidPriceCommand) throw new QueryError('BAD_USER_INPUT', error.message);
    throw error;
  }
  const [event] = events;
  if (!event) throw new Error('decide returned no event');
  const subject = priceSubject(deps.ns, event.data.tenant, event.data.provider, event.data.model);
  const headers = natsHeaders();
  headers.set('Content-Type', priceSetCodec.contentType);
  for (let attempt = 1; ; attempt++) {
    const expected = await lastSubjectSequence(deps.jsm, streamIn(deps.ns, STREAMS.prices.name), subject);
    try {
      const ack = await deps.publisher.publish(subject, priceSetToWire(event), { expectLastSubjectSequence: expected, headers });
      await applyOnce(deps.db, CATALOG_PROJECTION, [{ key: priceEventKey(ack.seq), event: { event, streamSequence: ack.seq } }], catalogApplier(deps.repricing));
      break;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= CONCURRENCY_RETRIES) throw error;
    }
  }
  const { entry } = event.data;
  const optional = (value: typeof entry.cacheReadPer1M) => (value === undefined ? null : formatDecimal(value));
  return {
    provider: event.data.provider,
    model: event.data.model,
    inputPer1M: formatDecimal(entry.inputPer1M),
    outputPer1M: formatDecimal(entry.outputPer1M),
    cacheReadPer1M: optional(entry.cacheReadPer1M),
    cacheWritePer1M: optional(entry.cacheWritePer1M),
    reasoningPer1M: optional(entry.reasoningPer1M),
    requestFee: optional(entry.requestFee),
    effectiveFrom: entry.effectiveFrom.toISOString(),
    effectiveTo: entry.effectiveTo?.toISOString() ?? null,
  };
}

async function lastSubjectSequence(jsm: JetStreamManager, stream: string, subject: string): Promise<number> {
  const message = await jsm.streams.getMessage(stream, { last_by_subj: subject });
  return message?.seq ?? 0;
}
