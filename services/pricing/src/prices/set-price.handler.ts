import type { ArgsOf, PriceView, setPriceCommand } from '@agentledger/contracts';
import { handleCommand, type AggregateStore } from '@agentledger/event-sourcing';
import type { Namespace } from '@agentledger/jetstream';
import { formatDecimal } from '@agentledger/money';
import { answeringRejections, type QueryRequest } from '@agentledger/service-kit';
import { entryStartingAt } from '../domain/effective-dated.js';
import { priceDecider, priceKeyOf, type SetPrice } from './decider.js';
import type { PriceEntry, PriceEvent } from './price.js';
import { priceSubject } from './price-wire.js';

export interface SetPriceDeps {
  /** The price aggregates (FINOPS_PRICES, one subject per tenant, provider and model). */
  readonly store: AggregateStore<PriceEvent>;
  readonly ns: Namespace;
  readonly clock: () => Date;
}

export function priceView(key: { provider: string; model: string }, entry: PriceEntry): PriceView {
  const optional = (value: PriceEntry['cacheReadPer1M']) => (value === undefined ? null : formatDecimal(value));
  return {
    provider: key.provider,
    model: key.model,
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

/**
 * `setPrice`: translate the request into a command and run it on its price aggregate. It answers
 * once the event is appended; the catalog projection takes it into use and the re-pricing
 * processor re-prices the history it covers, off the request path.
 */
export async function handleSetPrice(deps: SetPriceDeps, request: QueryRequest<ArgsOf<typeof setPriceCommand>>): Promise<PriceView> {
  const { args } = request;
  const command: SetPrice = { type: 'SetPrice', data: { ...args, tenant: request.tenant }, metadata: { actor: request.actor ?? 'unknown', now: deps.clock() } };
  return answeringRejections(async () => {
    const key = priceKeyOf(command);
    const { state } = await handleCommand(deps.store, priceDecider, priceSubject(deps.ns, key.tenant, key.provider, key.model), command);
    return priceView(key, entryStartingAt(state.entries, new Date(args.effectiveFrom))!);
  });
}
