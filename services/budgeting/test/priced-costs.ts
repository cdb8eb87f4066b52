import { CostKind, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';

/** A priced cost (or correction), by default of the support bot, as pricing publishes it. */
export function pricedCost(
  tenant: string,
  id: string,
  amount: string,
  time: string,
  kind = CostKind.PRICED,
  team = 'support',
  common: { agentId?: string; spanId?: string } = {},
): PricedCost {
  return pricedCostCodec.create({
    kind,
    costId: id,
    tenant,
    factKey: id.split('#')[0],
    factType: 'llm.call',
    time: toTimestamp(new Date(time)),
    common: { agentId: 'support-bot', team, workflow: 'resolve-ticket', ...common },
    priced: true,
    cost: amount,
    currency: 'USD',
  });
}
