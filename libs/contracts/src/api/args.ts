import { z } from 'zod';
import { amountBoundViolation, AMOUNT_BOUND_TEXT, isDecimalString } from '@agentledger/money';
import type { ArgsOf, Contract } from './contract.js';

// RFC 3339 with a mandatory offset, as the gateway's DateTime scalar sends it.
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** True for an RFC 3339 date-time whose day exists (no 30 February). */
export function isDateTimeString(value: string): boolean {
  const match = RFC_3339.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * An exact decimal as a string ("12.34"), never a JS number, within the amount bound every read
 * model can hold (`amountBoundViolation` of libs/money): prices, unit prices, budget limits.
 */
export const decimalString = () =>
  z
    .string()
    .refine(isDecimalString, { error: 'must be a decimal string, e.g. "12.34"', abort: true })
    .refine((value) => amountBoundViolation(value) === undefined, { error: `must be ${AMOUNT_BOUND_TEXT}` });

/** An RFC 3339 date-time string with an offset ("2026-11-27T00:00:00Z"). */
export const dateTimeString = () =>
  z.string().refine(isDateTimeString, { error: 'must be an RFC 3339 date-time, e.g. "2026-11-27T00:00:00Z"' });

/** A window [from, to) by event time; its order and length are the service's rules. */
export const windowArgs = { from: dateTimeString(), to: dateTimeString() };

export interface ArgsIssue {
  /** `filter.agentId`, `items[2].unit`; `args` for the arguments as a whole. */
  readonly path: string;
  readonly rule: string;
}

export type CheckedArgs<C extends Contract> = { readonly ok: true; readonly args: ArgsOf<C> } | { readonly ok: false; readonly issues: readonly ArgsIssue[] };

/** Parses a request's arguments by the contract's schema; failures name the field and the rule it broke. */
export function checkArgs<C extends Contract>(contract: C, args: unknown): CheckedArgs<C> {
  const parsed = contract.args.safeParse(args ?? {}, { error: ruleOf });
  if (parsed.success) return { ok: true, args: parsed.data as ArgsOf<C> };
  return { ok: false, issues: parsed.error.issues.map((issue) => ({ path: pathOf(issue.path), rule: issue.message })) };
}

/** `path: rule; path: rule`, the form every BAD_USER_INPUT message takes. */
export const describeIssues = (issues: readonly ArgsIssue[]): string => issues.map((issue) => `${issue.path}: ${issue.rule}`).join('; ');

function pathOf(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'args';
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join('');
}

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

// Our wording of zod's issues ("must be a string", "is required"), like ingestion's rejections.
function ruleOf(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' ? `must be at least ${String(issue.minimum)} characters` : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown field ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

const article = (expected: string): string => (expected === 'int' ? 'an integer' : /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`);
