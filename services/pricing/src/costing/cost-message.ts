import { CostKind, pricedCostCodec, type PricedCost } from '@agentledger/contracts';
import { bundleMessages, subjects, type Namespace } from '@agentledger/jetstream';
import type { OutboxMessage } from '@agentledger/projections';

/**
 * Priced costs or corrections as they leave pricing: bundled (`bundle.ts`) on their tenant's
 * subject, a bundle per tenant and kind (and per 64 KiB), each cost keyed by its cost id, what
 * every ledger downstream dedupes on. One outbox row and one JetStream message per bundle
 * instead of one per cost.
 */
export function costMessages(ns: Namespace, costs: readonly PricedCost[]): OutboxMessage[] {
  const groups = new Map<string, { subject: string; costs: PricedCost[] }>();
  for (const cost of costs) {
    const subject = subjects.cost(ns, cost.tenant, cost.kind === CostKind.CORRECTION ? 'correction' : 'priced');
    const group = groups.get(subject) ?? groups.set(subject, { subject, costs: [] }).get(subject)!;
    group.costs.push(cost);
  }
  return [...groups.values()].flatMap((group) =>
    bundleMessages(
      group.subject,
      pricedCostCodec.contentType,
      group.costs.map((cost) => ({ key: `${cost.tenant}|${cost.costId}`, payload: pricedCostCodec.encode(cost) })),
    ),
  );
}
