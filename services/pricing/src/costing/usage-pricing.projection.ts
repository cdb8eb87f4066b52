import type { JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { factKey, pricedCostCodec, type CanonicalFact } from '@agentledger/contracts';
import { CONSUMERS, PermanentError, subjects, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import { decodeFact, priceFact, USAGE_TYPES } from './usage-pricing.js';
import { findTenantPrice } from '../catalog/price-lookup.js';
import type { Tx } from '../catalog/catalog.projection.js';

export const USAGE_PRICING_PROJECTION = 'pricing-usage';

export interface UsagePricingDeps {
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
  readonly catalogVersion: string;
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
      const findPrice = (tenant: string, provider: string, model: string, time: Date) => findTenantPrice(tx, tenant, provider, model, time);
      const costs = await Promise.all(facts.map((fact) => priceFact(fact, findPrice, deps.catalogVersion)));
      await tx.pricedUsage.createMany({
        data: costs.map((cost) => ({
          factKey: cost.factKey,
          tenant: cost.tenant,
          factType: cost.factType,
          time: new Date(Number(cost.time!.seconds) * 1000 + Math.floor(cost.time!.nanos / 1e6)),
          provider: cost.provider,
          model: cost.model,
          inputTokens: cost.usage?.inputTokens ?? 0n,
          outputTokens: cost.usage?.outputTokens ?? 0n,
          cacheReadTokens: cost.usage?.cacheReadTokens ?? 0n,
          cacheWriteTokens: cost.usage?.cacheWriteTokens ?? 0n,
          reasoningTokens: cost.usage?.reasoningTokens ?? 0n,
          priced: cost.priced,
          cost: cost.cost,
          priceRef: cost.priceRef,
          reportedCost: cost.reportedCost,
          revision: cost.revision,
        })),
        skipDuplicates: true,
      });
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
    },
  };
}
