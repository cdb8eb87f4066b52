import type { Decimal } from '@agentledger/money';
import { withEntry } from '../domain/effective-dated.js';
import type { UnitPriceKind } from '../domain/price-match.js';

export type { UnitPriceKind };

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
    case 'UnitPriceSet':
      return { entries: withEntry(state.entries, event.data.entry) };
    default: {
      const unexpected: never = event.type;
      throw new Error(`unknown unit price event ${String(unexpected)}`);
    }
  }
}
