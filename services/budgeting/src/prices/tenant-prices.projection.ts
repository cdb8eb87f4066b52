import { createHash } from 'node:crypto';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import { formatDecimal, type Decimal } from '@agentledger/money';
import { insertRows, type Column } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { Tx } from '../db.js';
import { modelPriceSetOf, type ModelPriceSet } from './price-set.js';

export const TENANT_PRICES_PROJECTION = 'budgeting-prices';

const text = (value: Decimal | null) => (value === null ? null : formatDecimal(value));

const PRICE_COLUMNS: ReadonlyArray<Column<ModelPriceSet>> = [
  { name: 'tenant', type: 'text', value: (price) => price.tenant },
  { name: 'provider', type: 'text', value: (price) => price.provider },
  { name: 'model', type: 'text', value: (price) => price.model },
  { name: 'effective_from', type: 'timestamptz', value: (price) => price.effectiveFrom },
  { name: 'effective_to', type: 'timestamptz', value: (price) => price.effectiveTo },
  { name: 'input_per_1m', type: 'numeric', value: (price) => formatDecimal(price.inputPer1M) },
  { name: 'output_per_1m', type: 'numeric', value: (price) => formatDecimal(price.outputPer1M) },
  { name: 'cache_read_per_1m', type: 'numeric', value: (price) => text(price.cacheReadPer1M) },
  { name: 'cache_write_per_1m', type: 'numeric', value: (price) => text(price.cacheWritePer1M) },
  { name: 'reasoning_per_1m', type: 'numeric', value: (price) => text(price.reasoningPer1M) },
  { name: 'request_fee', type: 'numeric', value: (price) => text(price.requestFee) },
  { name: 'stream_sequence', type: 'bigint', value: (price) => BigInt(price.streamSequence) },
];

export interface TenantPricesDeps {
  /** Told, once a batch committed, which tenants' prices it changed (the price book drops them from its cache). */
  readonly pricesChanged?: (tenants: readonly string[]) => void;
}

/**
 * The latest setting of each (tenant, provider, model, effective_from), by position on the
 * stream: what pricing's catalog keeps, so the same call is priced the same on both sides.
 * Within a batch the last setting of a key wins; against the table, a row is replaced only by a
 * later stream sequence, so a replay or a redelivery (already skipped by its key) changes nothing.
 */
async function recordPrices(tx: Tx, prices: readonly ModelPriceSet[]): Promise<void> {
  const latest = new Map<string, ModelPriceSet>();
  for (const price of prices) {
    const key = [price.tenant, price.provider, price.model, price.effectiveFrom.getTime()].join('\u0000');
    const seen = latest.get(key);
    if (!seen || seen.streamSequence < price.streamSequence) latest.set(key, price);
  }
  await insertRows(
    tx,
    'tenant_model_price',
    PRICE_COLUMNS,
    [...latest.values()],
    `ON CONFLICT (tenant, provider, model, effective_from) DO UPDATE SET
       effective_to = EXCLUDED.effective_to, input_per_1m = EXCLUDED.input_per_1m, output_per_1m = EXCLUDED.output_per_1m,
       cache_read_per_1m = EXCLUDED.cache_read_per_1m, cache_write_per_1m = EXCLUDED.cache_write_per_1m,
       reasoning_per_1m = EXCLUDED.reasoning_per_1m, request_fee = EXCLUDED.request_fee, stream_sequence = EXCLUDED.stream_sequence
     WHERE tenant_model_price.stream_sequence < EXCLUDED.stream_sequence`,
  );
}

/** The price stream → the tenants' model-token prices, from which the price book prices token estimates. */
export function tenantPricesProjection(deps: TenantPricesDeps = {}): ProjectionDefinition<ModelPriceSet, Tx> {
  // Tenants of the batches applied since the last commit: a rolled-back batch is told with the next one (a harmless extra reload).
  const changed = new Set<string>();
  return {
    name: TENANT_PRICES_PROJECTION,
    consumer: CONSUMERS.budgetingPrices,
    tables: ['tenant_model_price'],
    decode(msg) {
      let price: ModelPriceSet | undefined;
      try {
        price = modelPriceSetOf(msg);
      } catch (error) {
        throw new PermanentError(`undecodable price event: ${(error as Error).message}`, 'undecodable');
      }
      // The event's own identity (pricing appends with msgID = event id), never its stream sequence.
      const id = msg.headers?.get('Nats-Msg-Id') || `sha256:${createHash('sha256').update(msg.data).digest('hex')}`;
      return price && { key: `price:${id}`, event: price };
    },
    async apply(tx, prices) {
      await recordPrices(tx, prices);
      for (const price of prices) changed.add(price.tenant);
    },
    afterCommit() {
      const tenants = [...changed];
      changed.clear();
      if (tenants.length > 0) deps.pricesChanged?.(tenants);
    },
  };
}
