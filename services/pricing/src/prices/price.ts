import type { Decimal } from '@agentledger/money';

/** One (tenant, provider, model) price aggregate: its effective-dated entries. */
export interface PriceEntry {
  readonly effectiveFrom: Date;
  readonly effectiveTo?: Date;
  readonly inputPer1M: Decimal;
  readonly outputPer1M: Decimal;
  readonly cacheReadPer1M?: Decimal;
  readonly cacheWritePer1M?: Decimal;
  readonly reasoningPer1M?: Decimal;
  readonly requestFee?: Decimal;
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
    case 'PriceSet': {
      const from = event.data.entry.effectiveFrom.getTime();
      const entries = state.entries.filter((entry) => entry.effectiveFrom.getTime() !== from);
      return { entries: [...entries, event.data.entry].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime()) };
    }
    default: {
      const unexpected: never = event.type;
      throw new Error(`unknown price event ${String(unexpected)}`);
    }
  }
}

/** Model names are matched case-insensitively and without surrounding space. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}
