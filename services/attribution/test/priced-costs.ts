import { headers as natsHeaders } from '@nats-io/transport-node';
import { CallStatus, CostKind, pricedCostCodec, toTimestamp, type PricedCost } from '@agentledger/contracts';
import { subjects, type Namespace } from '@agentledger/jetstream';

export interface CostSpec {
  id: string;
  cost: string;
  time?: string;
  agentId?: string;
  team?: string;
  workflow?: string;
  attempt?: number;
  escalatedFrom?: string;
  priced?: boolean;
  inputTokens?: bigint;
  /** A correction of the cost `id` (revision ≥ 1): `cost` is then the delta. */
  correction?: { revision: number; previouslyPriced: boolean };
  traceId?: string;
  spanId?: string;
  factType?: 'llm.call' | 'tool.call' | 'saas.usage';
  model?: string;
  tool?: string;
  /** Custom attributes (`common.attributes`), e.g. customer, feature. */
  attributes?: Record<string, string>;
}

/** A priced llm.call cost as pricing publishes it. */
export function pricedCost(tenant: string, spec: CostSpec): PricedCost {
  return pricedCostCodec.create({
    schemaVersion: 1,
    kind: spec.correction ? CostKind.CORRECTION : CostKind.PRICED,
    costId: spec.correction ? `agent://test|${spec.id}#${spec.correction.revision}` : `agent://test|${spec.id}`,
    revision: spec.correction?.revision ?? 0,
    previouslyPriced: spec.correction?.previouslyPriced ?? false,
    tenant,
    factKey: `agent://test|${spec.id}`,
    factType: spec.factType ?? 'llm.call',
    time: toTimestamp(new Date(spec.time ?? '2026-11-27T09:30:00Z')),
    common: {
      agentId: spec.agentId ?? 'support-bot',
      team: spec.team ?? 'support',
      workflow: spec.workflow ?? 'resolve-ticket',
      environment: 'production',
      traceId: spec.traceId ?? '',
      spanId: spec.spanId ?? '',
      attributes: spec.attributes ?? {},
    },
    provider: spec.factType && spec.factType !== 'llm.call' ? '' : 'openai',
    model: spec.factType && spec.factType !== 'llm.call' ? '' : (spec.model ?? 'gpt-4o-mini'),
    tool: spec.tool ?? '',
    usage: { inputTokens: spec.inputTokens ?? 100n, outputTokens: 10n },
    attempt: spec.attempt ?? 1,
    escalatedFrom: spec.escalatedFrom ?? '',
    status: CallStatus.OK,
    priced: spec.priced ?? true,
    cost: spec.cost,
    currency: 'USD',
  });
}

export function costMessage(ns: Namespace, cost: PricedCost, msgID = `cost:${cost.tenant}|${cost.costId}`) {
  const headers = natsHeaders();
  headers.set('Content-Type', pricedCostCodec.contentType);
  return { subject: subjects.cost(ns, cost.tenant, 'priced'), payload: pricedCostCodec.encode(cost), options: { msgID, headers } };
}
