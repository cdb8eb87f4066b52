import { STREAMS } from './topology.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tib: 1024 ** 4 };
const STREAM_NAMES: ReadonlySet<string> = new Set(Object.values(STREAMS).map((spec) => spec.name));

/**
 * `STREAM_MAX_BYTES`: byte limits by stream, e.g. `FINOPS_FACTS=200GiB,FINOPS_COSTS=100GiB,FINOPS_IN=20GiB`
 * (units B, KiB/K, MiB/M, GiB/G, TiB/T, powers of 1024). Streams not named keep the topology's limit.
 */
export function parseStreamMaxBytes(raw: string): { value: Readonly<Record<string, number>> } | { problems: readonly string[] } {
  const limits: Record<string, number> = {};
  const problems: string[] = [];
  for (const item of raw.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = /^([A-Z_]+)=(\d+(?:\.\d+)?)\s*([A-Za-z]*)$/.exec(item);
    const unit = match ? UNITS[match[3]!.toLowerCase()] : undefined;
    if (!match || unit === undefined) {
      problems.push(`STREAM_MAX_BYTES: "${item.slice(0, 80)}" is not <stream>=<size>, e.g. FINOPS_FACTS=200GiB`);
      continue;
    }
    const [, name, amount] = match as unknown as [string, string, string];
    if (!STREAM_NAMES.has(name)) problems.push(`STREAM_MAX_BYTES: ${name} is not a stream (${[...STREAM_NAMES].join(', ')})`);
    else if (name in limits) problems.push(`STREAM_MAX_BYTES: ${name} is given twice`);
    const bytes = Math.floor(Number(amount) * unit);
    if (!(bytes >= 1024 * 1024)) problems.push(`STREAM_MAX_BYTES: ${name} must be at least 1MiB`);
    limits[name] = bytes;
  }
  return problems.length > 0 ? { problems } : { value: limits };
}
