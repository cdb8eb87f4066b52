import { CommandRejected, type Decider } from '@agentledger/event-sourcing';
import { isDecimalString, parseDecimal, type Decimal } from '@agentledger/money';
import { assertRangeHolds, entryStartingAt, sameInstant } from '../domain/effective-dated.js';
import { normalizeName } from '@agentledger/model-pricing';
import { evolve, initialPriceState, type PriceEntry, type PriceEvent, type PriceState } from './price.js';

export interface SetPrice {
  readonly type: 'SetPrice';
  readonly data: {
    readonly tenant: string;
    readonly provider: string;
    readonly model: string;
    readonly inputPer1M: string;
    readonly outputPer1M: string;
    readonly cacheReadPer1M?: string | null;
    readonly cacheWritePer1M?: string | null;
    readonly reasoningPer1M?: string | null;
    readonly requestFee?: string | null;
    readonly effectiveFrom: string;
    readonly effectiveTo?: string | null;
  };
  readonly metadata: { readonly actor: string; readonly now: Date };
}

export type PriceCommand = SetPrice;

/** A command that breaks a rule; the message names the field and the rule. */
export class InvalidPriceCommand extends CommandRejected {
  constructor(message: string) {
    super(message, 'invalid');
    this.name = 'InvalidPriceCommand';
  }
}

const RATES = ['inputPer1M', 'outputPer1M', 'cacheReadPer1M', 'cacheWritePer1M', 'reasoningPer1M', 'requestFee'] as const;
const sameRate = (a: Decimal | undefined, b: Decimal | undefined) => (a === undefined || b === undefined ? a === b : a.equals(b));

/** The same entry again: every rate, the end and the currency unchanged. */
function sameEntry(a: PriceEntry, b: PriceEntry): boolean {
  return RATES.every((rate) => sameRate(a[rate], b[rate])) && sameInstant(a.effectiveTo, b.effectiveTo) && a.currency === b.currency;
}

const NAME = /^[^\s]{1,200}$/;

function rate(field: string, value: string | null | undefined, required: true): Decimal;
function rate(field: string, value: string | null | undefined, required: false): Decimal | undefined;
function rate(field: string, value: string | null | undefined, required: boolean): Decimal | undefined {
  if (value === undefined || value === null) {
    if (required) throw new InvalidPriceCommand(`${field}: required`);
    return undefined;
  }
  if (!isDecimalString(value)) throw new InvalidPriceCommand(`${field}: ${JSON.stringify(value)} is not a decimal string`);
  const decimal = parseDecimal(value);
  if (decimal.isNegative()) throw new InvalidPriceCommand(`${field}: must not be negative`);
  return decimal;
}

function instant(field: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidPriceCommand(`${field}: ${JSON.stringify(value)} is not an RFC 3339 date-time`);
  return date;
}

/** The aggregate a command addresses, its names validated and normalised (the handler needs it to find the subject). */
export function priceKeyOf(command: PriceCommand): { tenant: string; provider: string; model: string } {
  const { data } = command;
  if (typeof data.provider !== 'string' || !NAME.test(data.provider)) throw new InvalidPriceCommand('provider: must be 1-200 characters without spaces');
  if (typeof data.model !== 'string' || !NAME.test(data.model)) throw new InvalidPriceCommand('model: must be 1-200 characters without spaces');
  return { tenant: data.tenant, provider: normalizeName(data.provider), model: normalizeName(data.model) };
}

/**
 * Setting a price: the input must be valid, and the price list must be able to hold it (its end
 * is not pre-empted by an entry starting inside its range). Setting the entry in force at that
 * instant again changes nothing.
 */
export function decide(command: PriceCommand, state: PriceState): PriceEvent[] {
  switch (command.type) {
    case 'SetPrice': {
      const { data } = command;
      const key = priceKeyOf(command);
      const effectiveFrom = instant('effectiveFrom', data.effectiveFrom);
      const effectiveTo = data.effectiveTo ? instant('effectiveTo', data.effectiveTo) : undefined;
      if (effectiveTo && effectiveTo <= effectiveFrom) throw new InvalidPriceCommand('effectiveTo: must be after effectiveFrom');
      const entry: PriceEntry = {
        effectiveFrom,
        effectiveTo,
        inputPer1M: rate('inputPer1M', data.inputPer1M, true),
        outputPer1M: rate('outputPer1M', data.outputPer1M, true),
        cacheReadPer1M: rate('cacheReadPer1M', data.cacheReadPer1M, false),
        cacheWritePer1M: rate('cacheWritePer1M', data.cacheWritePer1M, false),
        reasoningPer1M: rate('reasoningPer1M', data.reasoningPer1M, false),
        requestFee: rate('requestFee', data.requestFee, false),
        currency: 'USD',
      };
      const current = entryStartingAt(state.entries, effectiveFrom);
      if (current && sameEntry(current, entry)) return [];
      assertRangeHolds(state.entries, entry, 'price');
      return [
        {
          type: 'PriceSet',
          data: { ...key, entry },
          metadata: { setBy: command.metadata.actor, setAt: command.metadata.now },
        },
      ];
    }
    default: {
      const unexpected: never = command.type;
      throw new Error(`unknown price command ${String(unexpected)}`);
    }
  }
}

export const priceDecider: Decider<PriceCommand, PriceEvent, PriceState> = { initialState: initialPriceState, evolve, decide };
