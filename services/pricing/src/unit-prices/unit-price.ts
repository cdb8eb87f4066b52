import type { Decimal } from '@agentledger/money';

/** What a unit price prices: a tool's calls (`tool.call` units) or a SaaS product's usage (`saas.usage` quantity). */
export type UnitPriceKind = 'tool' | 'saas';

/** One (tenant, kind, vendor, name, unit) unit price aggregate: its effective-dated entries. */
export interface UnitPriceEntry {
  readonly effectiveFrom: Date;
  readonly effectiveTo?: Date;
  /** USD per unit, exact. */
  readonly pricePerUnit: Decimal;
  readonly currency: string;
}

/** Identity of the aggregate; vendor '' on a tool price means "whatever the vendor". */
export interface UnitPriceKey {
  readonly tenant: string;
  readonly kind: UnitPriceKind;
  readonly vendor: string;
  readonly name: string;
  readonly unit: string;
}

export interface UnitPriceSetEvent {
  readonly type: 'UnitPriceSet';
  readonly data: UnitPriceKey & { readonly entry: UnitPriceEntry };
  readonly metadata: { readonly setBy: string; readonly setAt: Date };
}

export type UnitPriceEvent = UnitPriceSetEvent;

export interface UnitPriceState {
  /** Entries by effectiveFrom; a later UnitPriceSet at the same instant replaces the earlier one. */
  readonly entries: readonly UnitPriceEntry[];
}

export const initialUnitPriceState: UnitPriceState = { entries: [] };

export function evolve(state: UnitPriceState, event: UnitPriceEvent): UnitPriceState {
  switch (event.type) {
    case 'UnitPriceSet': {
      const from = event.data.entry.effectiveFrom.getTime();
      const entries = state.entries.filter((entry) => entry.effectiveFrom.getTime() !== from);
      return { entries: [...entries, event.data.entry].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime()) };
    }
    default: {
      const unexpected: never = event.type;
      throw new Error(`unknown unit price event ${String(unexpected)}`);
    }
  }
}

/** The fact type a unit price kind prices. */
export const FACT_TYPE_OF: Record<UnitPriceKind, string> = { tool: 'tool.call', saas: 'saas.usage' };
