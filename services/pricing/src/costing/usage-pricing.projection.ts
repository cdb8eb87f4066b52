import type { JsMsg } from '@nats-io/jetstream';
import { factKey, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, PermanentError, type Namespace } from '@agentledger/jetstream';
import { stageMessages, type SqlExecutor } from '@agentledger/projections';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import { batchLookups } from '../catalog/batch-lookups.js';
import type { DefaultCatalog } from '@agentledger/model-pricing';
import { costMessages } from './cost-message.js';
import { lockTenantPricing, recordPricedUsage } from './priced-usage.js';
import { assertCostInBounds, decodeFact, priceFact, USAGE_TYPES } from './usage-pricing.js';

export const USAGE_PRICING_PROJECTION = 'pricing-usage';

export interface UsagePricingDeps {
  readonly ns: Namespace;
  readonly catalogVersion: string;
  /** The default catalog; without it only the tenants' own prices apply. */
  readonly catalog?: DefaultCatalog;
  /** Counts each fact no price covered (a metric: unpriced is visible, never silently $0). */
  readonly onUnpriced?: (cost: { tenant: string; factType: string; provider: string }) => void;
}

/**
 * Usage facts → priced costs, a reactor: inside the batch's transaction, record each fact's cost
 * in `priced_usage` (the base for re-pricing) and stage the costs in the outbox; they are
 * published after the commit, so a rolled-back batch leaves no cost behind, and a batch
 * redelivered after a price change is priced afresh from the committed state.
 * `priced_usage (tenant, fact_key)` is the idempotency record: a fact already there is not
 * recorded or published again, and no ledger row is written per fact.
 */
export function usagePricingProjection(deps: UsagePricingDeps): ProjectionDefinition<CanonicalFact, SqlExecutor> {
  return {
    name: USAGE_PRICING_PROJECTION,
    consumer: CONSUMERS.pricingFacts,
    // Keyed by event identity only: another stream is reported, then followed.
    streamIndependent: true,
    idempotency: 'own-key',
    tables: ['priced_usage'],
    emits: true,
    decode(msg: JsMsg) {
      let fact: CanonicalFact;
      try {
        fact = decodeFact(msg.data);
      } catch (error) {
        throw new PermanentError(`undecodable fact: ${(error as Error).message}`, 'undecodable');
      }
      if (!USAGE_TYPES.has(fact.type)) return undefined;
      return { key: `${fact.tenant}|${factKey(fact.source, fact.eventId)}`, event: fact };
    },
    async apply(tx, batch) {
      await lockTenantPricing(tx, batch.map((fact) => fact.tenant));
      // Every fact is priced and offered to `priced_usage`; its insert (ON CONFLICT DO NOTHING)
      // tells the first pricings from redeliveries, so a first delivery costs no look-up. The
      // bound is checked on what was recorded: a redelivered fact is not refused for a price set
      // since, and refusing a new one rolls the whole batch back.
      const lookups = await batchLookups(tx, deps.catalog, batch.map((fact) => fact.tenant));
      const priced = [];
      for (const fact of batch) priced.push(await priceFact(fact, lookups, deps.catalogVersion));
      const recorded = (await recordPricedUsage(tx, priced)).map(assertCostInBounds);
      const costs = recorded.map((fact) => fact.cost);
      await stageMessages(tx, costMessages(deps.ns, costs));
      for (const cost of costs) if (!cost.priced) deps.onUnpriced?.({ tenant: cost.tenant, factType: cost.factType, provider: cost.provider || cost.vendor });
      const inserted = new Set(costs.map((cost) => `${cost.tenant}|${cost.factKey}`));
      return batch.filter((fact) => inserted.has(`${fact.tenant}|${factKey(fact.source, fact.eventId)}`));
    },
  };
}
