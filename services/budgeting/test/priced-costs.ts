import { CostKind, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';

/** A priced cost (or correction) of tenant `acme`'s support bot, as pricing publishes it. */
export function pricedCost(tenant: string, id: string, amount: string, time: string, kind = CostKind.PRICED, team = 'support'): PricedCost {
  return pricedCostCodec.create({
    kind,
    costId: id,
    tenant,
    factKey: id.split('#')[0],
    factType: 'llm.call',
    time: toTimestamp(new Date(time)),
    common: { agentId: 'support-bot', team, workflow: 'resolve-ticket' },
    priced: true,
    cost: amount,
    currency: 'USD',
  });
}
