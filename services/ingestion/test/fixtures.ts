import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = (kind: 'valid' | 'invalid') => fileURLToPath(new URL(`./fixtures/${kind}/`, import.meta.url));

/** One CloudEvent per event type of CONTRACT.md part A, every optional field used somewhere. */
export interface ValidFixture {
  readonly name: string;
  readonly event: Record<string, unknown> & { type: string; id: string; source: string };
}

/** A message breaking one rule, and the reason (field path + rule) its dead letter must carry. */
export interface InvalidFixture {
  readonly rule: string;
  /** Subject in the root namespace, e.g. `finops.in.acme.llm_call`. */
  readonly subject: string;
  readonly expected: string;
  readonly headers?: Record<string, string>;
  readonly body: Uint8Array;
}

interface InvalidFile {
  rule: string;
  subject: string;
  expected: string;
  headers?: Record<string, string>;
  body?: unknown;
  bodyText?: string;
  bodyTemplate?: string;
  bodyRepeat?: { char: string; count: number };
}

export function validFixtures(): ValidFixture[] {
  return readdirSync(dir('valid'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), event: JSON.parse(readFileSync(dir('valid') + file, 'utf8')) }));
}

export function invalidFixtures(): InvalidFixture[] {
  return readdirSync(dir('invalid'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const spec = JSON.parse(readFileSync(dir('invalid') + file, 'utf8')) as InvalidFile;
      const text =
        spec.bodyTemplate && spec.bodyRepeat
          ? spec.bodyTemplate.replace('%s', spec.bodyRepeat.char.repeat(spec.bodyRepeat.count))
          : (spec.bodyText ?? JSON.stringify(spec.body));
      return { rule: spec.rule, subject: spec.subject, expected: spec.expected, headers: spec.headers, body: new TextEncoder().encode(text) };
    });
}
