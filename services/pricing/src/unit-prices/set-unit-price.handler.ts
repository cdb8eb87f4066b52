import type { ArgsOf, setUnitPriceCommand, UnitPriceView } from '@agentledger/contracts';
import { handleCommand, type AggregateStore } from '@agentledger/event-sourcing';
import type { Namespace } from '@agentledger/jetstream';
import { formatDecimal } from '@agentledger/money';
import { answeringRejections, type QueryRequest } from '@agentledger/service-kit';
import { entryStartingAt } from '../domain/effective-dated.js';
import { unitPriceDecider, unitPriceKeyOf, type SetUnitPrice } from './decider.js';
import type { UnitPriceEvent, UnitPriceSetEvent } from './unit-price.js';
import { unitPriceSubject } from './unit-price-wire.js';

export interface SetUnitPriceDeps {
  /** The unit price aggregates (FINOPS_PRICES, one subject per tenant, kind, vendor, name and unit). */
  readonly store: AggregateStore<UnitPriceEvent>;
  readonly ns: Namespace;
  readonly clock: () => Date;
}

export function unitPriceView(data: Pick<UnitPriceSetEvent['data'], 'kind' | 'vendor' | 'name' | 'unit'>, entry: { pricePerUnit: string; effectiveFrom: Date; effectiveTo?: Date | null }): UnitPriceView {
  return {
    kind: data.kind === 'tool' ? 'TOOL' : 'SAAS',
    vendor: data.vendor || null,
    name: data.name,
    unit: data.unit,
    pricePerUnit: entry.pricePerUnit,
    effectiveFrom: entry.effectiveFrom.toISOString(),
    effectiveTo: entry.effectiveTo?.toISOString() ?? null,
  };
}

/**
 * `setUnitPrice`: translate the request into a command and run it on its unit price aggregate;
 * it answers once the event is appended (taken into use and re-priced off the request path).
 */
export async function handleSetUnitPrice(deps: SetUnitPriceDeps, request: QueryRequest<ArgsOf<typeof setUnitPriceCommand>>): Promise<UnitPriceView> {
  const { args } = request;
  const command: SetUnitPrice = { type: 'SetUnitPrice', data: { ...args, tenant: request.tenant }, metadata: { actor: request.actor ?? 'unknown', now: deps.clock() } };
  return answeringRejections(async () => {
    const key = unitPriceKeyOf(command);
    const { state } = await handleCommand(deps.store, unitPriceDecider, unitPriceSubject(deps.ns, key), command);
    const entry = entryStartingAt(state.entries, new Date(args.effectiveFrom))!;
    return unitPriceView(key, { ...entry, pricePerUnit: formatDecimal(entry.pricePerUnit) });
  });
}
