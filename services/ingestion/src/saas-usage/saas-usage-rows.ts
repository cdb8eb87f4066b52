import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { PermanentError } from '@agentledger/jetstream';

/** One usage line of a third-party agent's export, as CONTRACT.md's `saas.usage` needs it. */
const COLUMNS = {
  vendor: ['vendor', 'provider'],
  product: ['product', 'sku', 'plan'],
  agent: ['agent', 'agentid', 'agent_id'],
  periodStart: ['periodstart', 'period_start', 'start', 'from'],
  periodEnd: ['periodend', 'period_end', 'end', 'to'],
  quantity: ['quantity', 'qty', 'units', 'usage'],
  unit: ['unit', 'uom'],
  cost: ['cost', 'amount', 'cost_usd'],
} as const;
type Column = keyof typeof COLUMNS;

const normalise = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/** A row keyed by whatever the export calls its columns → the contract's names. */
function columnsOf(row: Record<string, unknown>): Partial<Record<Column, unknown>> {
  const out: Partial<Record<Column, unknown>> = {};
  for (const [name, value] of Object.entries(row)) {
    const key = normalise(name);
    const column = (Object.keys(COLUMNS) as Column[]).find((candidate) => (COLUMNS[candidate] as readonly string[]).includes(key) || normalise(candidate) === key);
    if (column && value !== '' && value !== null && value !== undefined) out[column] = typeof value === 'string' ? value.trim() : value;
  }
  return out;
}

/** The rows of a CSV (header line first) or a JSON export (an array, or `{ rows: [...] }`). */
export function saasUsageRows(body: Uint8Array, format: 'csv' | 'json'): Array<Record<string, unknown>> {
  const text = new TextDecoder().decode(body);
  if (format === 'csv') {
    try {
      return parse(text, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Array<Record<string, unknown>>;
    } catch (error) {
      throw new PermanentError(`body: must be CSV with a header line (${(error as Error).message.slice(0, 200)})`, 'invalid');
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PermanentError(`body: must be valid JSON (${(error as Error).message.slice(0, 200)})`, 'bad_json');
  }
  const rows = Array.isArray(parsed) ? parsed : (parsed as { rows?: unknown })?.rows;
  if (!Array.isArray(rows)) throw new PermanentError('body: must be a JSON array of usage rows (or { "rows": [...] })', 'invalid');
  return rows.map((row) => (typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : { row }));
}

/**
 * A usage row → a `saas.usage` CloudEvent. Its id is a hash of what identifies the line (vendor,
 * product, agent, unit, period), so importing the same export again yields the same (source, id)
 * and the ledger changes nothing. A corrected quantity for the same period is therefore a
 * duplicate too: corrections are a later contract change, not a silent double count.
 */
export function saasUsageEvent(row: Record<string, unknown>, importedAt: Date): Record<string, unknown> {
  const line = columnsOf(row);
  const text = (value: unknown) => (value === undefined ? undefined : String(value));
  const identity = [line.vendor, line.product, line.agent, line.unit, line.periodStart, line.periodEnd].map((part) => text(part) ?? '').join('\u0000');
  const vendor = text(line.vendor) ?? 'unknown';
  return {
    specversion: '1.0',
    id: `saas-${createHash('sha256').update(identity).digest('base64url').slice(0, 32)}`,
    source: `saas-import://${vendor.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`,
    type: 'saas.usage',
    // Event time is the period's end (usage is known then), the import time when it is missing.
    time: text(line.periodEnd) ?? importedAt.toISOString(),
    data: {
      agentId: text(line.agent) ?? (line.vendor && line.product ? `${vendor}/${text(line.product)}` : undefined),
      vendor: line.vendor,
      product: line.product,
      quantity: typeof line.quantity === 'number' ? line.quantity : text(line.quantity),
      unit: line.unit,
      periodStart: line.periodStart,
      periodEnd: line.periodEnd,
      cost: line.cost === undefined ? undefined : text(line.cost),
    },
  };
}

export function formatOf(contentTypeOrPath: string): 'csv' | 'json' {
  return /csv/i.test(contentTypeOrPath) ? 'csv' : 'json';
}
