import { CommandRejected, type Decider } from '@agentledger/event-sourcing';
import { isDecimalString, parseDecimal } from '@agentledger/money';
import { assertRangeHolds, entryStartingAt, sameInstant } from '../domain/effective-dated.js';
import { normalizeName } from '@agentledger/model-pricing';
import { evolve, initialUnitPriceState, type UnitPriceEntry, type UnitPriceEvent, type UnitPriceKey, type UnitPriceKind, type UnitPriceState } from './unit-price.js';

export interface SetUnitPrice {
  readonly type: 'SetUnitPrice';
  readonly data: {
    readonly tenant: string;
    /** TOOL or SAAS (case-insensitive). */
    readonly kind: string;
    readonly vendor?: string | null;
    readonly name: string;
    readonly unit: string;
    readonly pricePerUnit: string;
    readonly effectiveFrom: string;
    readonly effectiveTo?: string | null;
  };
  readonly metadata: { readonly actor: string; readonly now: Date };
}

export type UnitPriceCommand = SetUnitPrice;

/** A command that breaks a rule; the message names the field and the rule. */
export class InvalidUnitPriceCommand extends CommandRejected {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'InvalidUnitPriceCommand';
  }
}

const KINDS: Record<string, UnitPriceKind> = { tool: 'tool', saas: 'saas' };
const NAME = /^[^\s]{1,200}$/;

function name(field: string, value: string | null | undefined): string {
  const text = (value ?? '').trim();
  if (!NAME.test(text)) throw new InvalidUnitPriceCommand(`${field}: must be 1-200 characters without spaces`);
  return normalizeName(text);
}

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidUnitPriceCommand(`${field}: ${JSON.stringify(value)} is not an RFC 3339 date-time`);
  return date;
}

const sameEntry = (a: UnitPriceEntry, b: UnitPriceEntry) =>
  a.pricePerUnit.equals(b.pricePerUnit) && sameInstant(a.effectiveTo, b.effectiveTo) && a.currency === b.currency;

/** The aggregate a command addresses, its names validated and normalised (the handler needs it to find the subject). */
export function unitPriceKeyOf(command: UnitPriceCommand): UnitPriceKey {
  const { data } = command;
  const kind = KINDS[String(data.kind).toLowerCase()];
  if (!kind) throw new InvalidUnitPriceCommand(`kind: ${JSON.stringify(data.kind)} is not TOOL or SAAS`);
  // A SaaS product is priced per vendor; a tool price without vendor covers the tool from any vendor.
  const vendor = kind === 'saas' || (data.vendor ?? '').trim() !== '' ? name('vendor', data.vendor) : '';
  return { tenant: data.tenant, kind, vendor, name: name('name', data.name), unit: name('unit', data.unit) };
}

/** Setting a unit price: valid input, a range the price list can hold; the entry in force at that instant again changes nothing. */
export function decide(command: UnitPriceCommand, state: UnitPriceState): UnitPriceEvent[] {
  switch (command.type) {
    case 'SetUnitPrice': {
      const { data } = command;
      const key = unitPriceKeyOf(command);
      if (!isDecimalString(data.pricePerUnit)) throw new InvalidUnitPriceCommand(`pricePerUnit: ${JSON.stringify(data.pricePerUnit)} is not a decimal string`);
      const pricePerUnit = parseDecimal(data.pricePerUnit);
      if (pricePerUnit.isNegative()) throw new InvalidUnitPriceCommand('pricePerUnit: must not be negative');
      const effectiveFrom = instant('effectiveFrom', data.effectiveFrom);
      const effectiveTo = data.effectiveTo ? instant('effectiveTo', data.effectiveTo) : undefined;
      if (effectiveTo && effectiveTo <= effectiveFrom) throw new InvalidUnitPriceCommand('effectiveTo: must be after effectiveFrom');
      const entry: UnitPriceEntry = { effectiveFrom, effectiveTo, pricePerUnit, currency: 'USD' };
      const current = entryStartingAt(state.entries, effectiveFrom);
      if (current && sameEntry(current, entry)) return [];
      assertRangeHolds(state.entries, entry, 'unit price');
      return [
        {
          type: 'UnitPriceSet',
          data: { ...key, entry },
          metadata: { setBy: command.metadata.actor, setAt: command.metadata.now },
        },
      ];
    }
    default: {
      const unexpected: never = command.type;
      throw new Error(`unknown unit price command ${String(unexpected)}`);
    }
  }
}

export const unitPriceDecider: Decider<UnitPriceCommand, UnitPriceEvent, UnitPriceState> = { initialState: initialUnitPriceState, evolve, decide };
