import type { Rates } from '@agentledger/model-pricing';
import { withEntry } from '../domain/effective-dated.js';

export { normalizeName } from '@agentledger/model-pricing';

/** One entry of a (tenant, provider, model) price aggregate: the rates in force from `effectiveFrom`. */
export interface PriceEntry extends Rates {
  readonly effectiveFrom: Date;
  readonly effectiveTo?: Date;
  readonly currency: string;
}

export interface PriceSetEvent {
  readonly type: 'PriceSet';
  readonly data: { readonly tenant: string; readonly provider: string; readonly model: string; readonly entry: PriceEntry };
  readonly metadata: { readonly setBy: string; readonly setAt: Date };
}

export type PriceEvent = PriceSetEvent;

export interface PriceState {
  /** Entries by effectiveFrom; a later PriceSet at the same instant replaces the earlier one. */
  readonly entries: readonly PriceEntry[];
}

export const initialPriceState: PriceState = { entries: [] };

export function evolve(state: PriceState, event: PriceEvent): PriceState {
  switch (event.type) {
    case 'PriceSet':
      return { entries: withEntry(state.entries, event.data.entry) };
    default: {
      const unexpected: never = event.type;
      throw new Error(`unknown price event ${String(unexpected)}`);
    }
  }
}
