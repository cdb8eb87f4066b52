import { CostKind, pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { subjects, type Namespace } from '@agentledger/jetstream';
import type { OutboxMessage } from '@agentledger/projections';

/** A priced cost or correction as it leaves pricing: on its tenant's subject, keyed by its cost id (what every ledger downstream dedupes on). */
export function costMessage(ns: Namespace, cost: PricedCost): OutboxMessage {
  return {
    subject: subjects.cost(ns, cost.tenant, cost.kind === CostKind.CORRECTION ? 'correction' : 'priced'),
    msgId: `cost:${cost.tenant}|${cost.costId}`,
    payload: pricedCostCodec.encode(cost),
    headers: { 'Content-Type': pricedCostCodec.contentType },
  };
}
