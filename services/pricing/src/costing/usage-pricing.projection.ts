import type { JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { factKey, pricedCostCodec, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, PermanentError, subjects, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import { decodeFact, priceFact, USAGE_TYPES } from './usage-pricing.js';
import { loadTenantPrices, pickTenantPrice } from '../catalog/price-lookup.js';
import { loadUnitPrices, pickUnitPrice, type Metered } from '../unit-prices/unit-price-lookup.js';
import type { DefaultCatalog } from '../catalog/default-catalog.js';
import { lockTenantPricing, recordPricedUsage } from './priced-usage.js';
import type { Tx } from '../catalog/catalog.projection.js';

export const USAGE_PRICING_PROJECTION = 'pricing-usage';

export interface UsagePricingDeps {
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
  readonly catalogVersion: string;
  /** The default catalog; without it only the tenants' own prices apply. */
  readonly catalog?: DefaultCatalog;
  /** Counts each fact no price covered (a metric: unpriced is visible, never silently $0). */
  readonly onUnpriced?: (cost: { tenant: string; factType: string; provider: string }) => void;
}

/**
 * Usage facts → priced costs. Inside the batch's transaction: record each fact's cost in
 * `priced_usage` (the base for re-pricing) and publish the costs; the transaction commits
 * after JetStream acked them, and the facts are acked after the commit. A crash anywhere
 * republishes at worst, which JetStream (msgID) and every downstream ledger (cost_id) absorb.
 */
export function usagePricingProjection(deps: UsagePricingDeps): ProjectionDefinition<CanonicalFact, Tx> {
  return {
    name: USAGE_PRICING_PROJECTION,
    consumer: CONSUMERS.pricingFacts,
    tables: ['priced_usage'],
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
    async apply(tx, facts) {
      await lockTenantPricing(tx, facts.map((fact) => fact.tenant));
      // One read of the batch's tenants' prices instead of a query per fact.
      const tenants = facts.map((fact) => fact.tenant);
      const modelPrices = await loadTenantPrices(tx, tenants);
      const unitPrices = await loadUnitPrices(tx, tenants);
      const lookups = {
        findPrice: async (tenant: string, provider: string, model: string, time: Date) =>
          pickTenantPrice(modelPrices, tenant, provider, model, time) ?? deps.catalog?.find(provider, model, time),
        findUnitPrice: async (tenant: string, metered: Metered, time: Date) => pickUnitPrice(unitPrices, tenant, metered, time),
      };
      const priced = [];
      for (const fact of facts) priced.push(await priceFact(fact, lookups, deps.catalogVersion));
      await recordPricedUsage(tx, priced);
      const costs = priced.map((fact) => fact.cost);
      await deps.publisher.publishAll(
        costs.map((cost) => {
          const headers = natsHeaders();
          headers.set('Content-Type', pricedCostCodec.contentType);
          return {
            subject: subjects.cost(deps.ns, cost.tenant, 'priced'),
            payload: pricedCostCodec.encode(cost),
            options: { msgID: `cost:${cost.tenant}|${cost.costId}`, headers },
          };
        }),
      );
      for (const cost of costs) if (!cost.priced) deps.onUnpriced?.({ tenant: cost.tenant, factType: cost.factType, provider: cost.provider || cost.vendor });
    },
  };
}
