import { amountBoundViolation, isDecimalString } from '@agentledger/money';

/**
 * Tokens of one event: read models keep token totals as BIGINT sums (below 9.2 × 10^18), so a
 * trillion per event leaves room for 9 million such events in one rollup row.
 */
export const MAX_TOKENS_PER_EVENT = 1_000_000_000_000;

/** A broken rule, named by its field path: "data.usage.inputTokens: must be a non-negative integer". */
export class Violation extends Error {
  constructor(
    readonly path: string,
    readonly rule: string,
  ) {
    super(`${path}: ${rule}`);
    this.name = 'Violation';
  }
}

export const LIMITS = {
  idLength: 256,
  sourceLength: 512,
  nameLength: 256,
  textLength: 2_048,
  attributes: 64,
  attributeKeyLength: 128,
  attributeValueLength: 1_024,
  listItems: 64,
  /** How far ahead of the receiving clock an event time may be. */
  futureToleranceMs: 60 * 60 * 1000,
} as const;

/**
 * Throws a Violation at the first string (or key) holding U+0000: no read model can store it
 * (Postgres text refuses NUL), so an event carrying one is bad input, rejected here rather than
 * failing a projection downstream.
 */
export function rejectNul(value: unknown, path = ''): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new Violation(path || 'envelope', 'must not contain the NUL character');
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) throw new Violation(path || 'envelope', 'keys must not contain the NUL character');
    rejectNul(child, childPath);
  }
}

type Json = Record<string, unknown>;
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$-]{0,127}$/;

/** Reads typed fields of one JSON object, throwing a `Violation` that names the path and the rule. */
export class Fields {
  constructor(
    private readonly object: Json,
    private readonly path: string,
  ) {}

  static of(value: unknown, path: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Violation(path, 'must be an object');
    return new Fields(value as Json, path);
  }

  /** `data.usage.inputTokens`; a key that is not a plain name is quoted: `data["odd key"]`. */
  at(key: string): string {
    if (!PLAIN_KEY.test(key)) return `${this.path || 'envelope'}[${JSON.stringify(key.slice(0, 64))}]`;
    return this.path ? `${this.path}.${key}` : key;
  }

  /** Rejects members the contract does not know (a typo such as `inputToken` must not pass as "absent"). */
  onlyKnown(allowed: ReadonlySet<string>, what = 'field'): this {
    for (const key of Object.keys(this.object)) {
      if (!allowed.has(key)) throw new Violation(this.at(key), `unknown ${what} (allowed: ${[...allowed].join(', ')})`);
    }
    return this;
  }

  /** The member names present, for envelope extension checks. */
  keys(): string[] {
    return Object.keys(this.object);
  }

  has(key: string): boolean {
    return this.object[key] !== undefined && this.object[key] !== null;
  }

  string(key: string, maxLength: number = LIMITS.nameLength): string {
    const value = this.object[key];
    if (value === undefined || value === null || value === '') throw new Violation(this.at(key), 'required');
    if (typeof value !== 'string') throw new Violation(this.at(key), 'must be a string');
    if (value.length > maxLength) throw new Violation(this.at(key), `must be at most ${maxLength} characters`);
    return value;
  }

  optionalString(key: string, maxLength: number = LIMITS.nameLength): string {
    return this.has(key) && this.object[key] !== '' ? this.string(key, maxLength) : '';
  }

  count(key: string): bigint {
    const value = this.object[key];
    if (value === undefined || value === null) throw new Violation(this.at(key), 'required');
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new Violation(this.at(key), 'must be a non-negative integer');
    if (value > MAX_TOKENS_PER_EVENT) throw new Violation(this.at(key), `must be at most ${MAX_TOKENS_PER_EVENT} (token totals are stored as 64-bit sums)`);
    return BigInt(value);
  }

  optionalCount(key: string): bigint | undefined {
    return this.has(key) ? this.count(key) : undefined;
  }

  integerAtLeast(key: string, minimum: number): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Violation(this.at(key), 'must be an integer');
    if (value < minimum) throw new Violation(this.at(key), `must be at least ${minimum}`);
    return value;
  }

  finiteNumber(key: string, required: boolean): number | undefined {
    if (!this.has(key)) {
      if (required) throw new Violation(this.at(key), 'required');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Violation(this.at(key), 'must be a finite number');
    return value;
  }

  boolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const value = this.object[key];
    if (typeof value !== 'boolean') throw new Violation(this.at(key), 'must be true or false');
    return value;
  }

  /** Money or quantities: a decimal string (numbers are refused: they are not exact). */
  decimal(key: string, options: { required?: boolean; allowNumber?: boolean } = {}): string {
    if (!this.has(key)) {
      if (options.required) throw new Violation(this.at(key), 'required');
      return '';
    }
    const value = this.object[key];
    // Quantities may come as JSON numbers; only plain, exactly printable ones are taken.
    const text = options.allowNumber && typeof value === 'number' && value >= 0 && isDecimalString(String(value)) ? String(value) : value;
    if (!isDecimalString(text)) throw new Violation(this.at(key), 'must be a decimal string, e.g. "0.0125"');
    if (text.startsWith('-')) throw new Violation(this.at(key), 'must not be negative');
    // What no read model could hold is refused here, not dead-lettered halfway down the pipeline.
    const outOfBounds = amountBoundViolation(text);
    if (outOfBounds) throw new Violation(this.at(key), outOfBounds);
    return text;
  }

  oneOf<const V extends string>(key: string, values: readonly V[], required: boolean): V | undefined {
    if (!this.has(key)) {
      if (required) throw new Violation(this.at(key), 'required');
      return undefined;
    }
    const value = this.object[key];
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw new Violation(this.at(key), `must be one of ${values.join(', ')}`);
    }
    return value as V;
  }

  instant(key: string, required: boolean): Date | undefined {
    if (!this.has(key)) {
      if (required) throw new Violation(this.at(key), 'required');
      return undefined;
    }
    const value = this.object[key];
    const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
    if (typeof value !== 'string' || !rfc3339.test(value) || Number.isNaN(Date.parse(value))) {
      throw new Violation(this.at(key), 'must be an RFC 3339 date-time, e.g. "2026-11-27T09:00:00Z"');
    }
    return new Date(value);
  }

  strings(key: string): string[] {
    if (!this.has(key)) return [];
    const value = this.object[key];
    if (!Array.isArray(value)) throw new Violation(this.at(key), 'must be an array of strings');
    if (value.length > LIMITS.listItems) throw new Violation(this.at(key), `must have at most ${LIMITS.listItems} items`);
    return value.map((item, index) => {
      if (typeof item !== 'string' || item.length > LIMITS.nameLength) throw new Violation(`${this.at(key)}[${index}]`, `must be a string of at most ${LIMITS.nameLength} characters`);
      return item;
    });
  }

  attributes(key: string): Record<string, string> {
    if (!this.has(key)) return {};
    const nested = Fields.of(this.object[key], this.at(key));
    const entries = Object.entries(nested.object);
    if (entries.length > LIMITS.attributes) throw new Violation(this.at(key), `must have at most ${LIMITS.attributes} entries`);
    const attributes: Record<string, string> = {};
    for (const [name, value] of entries) {
      if (name.length === 0 || name.length > LIMITS.attributeKeyLength) throw new Violation(this.at(key), `keys must be 1-${LIMITS.attributeKeyLength} characters`);
      if (typeof value !== 'string') throw new Violation(nested.at(name), 'must be a string');
      if (value.length > LIMITS.attributeValueLength) throw new Violation(nested.at(name), `must be at most ${LIMITS.attributeValueLength} characters`);
      attributes[name] = value;
    }
    return attributes;
  }

  /** A CloudEvents extension value: a string (bounded), a finite number or a boolean. */
  scalar(key: string): void {
    const value = this.object[key];
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return;
    if (typeof value === 'string' && value.length <= LIMITS.attributeValueLength) return;
    throw new Violation(this.at(key), `must be a string of at most ${LIMITS.attributeValueLength} characters, a number or a boolean`);
  }

  nested(key: string, required: boolean): Fields | undefined {
    if (!this.has(key)) {
      if (required) throw new Violation(this.at(key), 'required');
      return undefined;
    }
    return Fields.of(this.object[key], this.at(key));
  }
}
