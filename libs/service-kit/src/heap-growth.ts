import { setFlagsFromString } from 'node:v8';

/**
 * Caps how far V8 lets the old generation grow past what its last full collection kept before it
 * collects again (`--heap-growing-percent`; 0 hands the choice back to V8). Left to itself, V8 lets
 * the heap of a process that allocates fast grow up to fourfold, and a consumer under load held
 * 100–150 MB more than it kept live (tools/bench/README.md, "Memory"). V8 reads the flag at every
 * full collection, so setting it in a running process takes effect; Node refuses it in
 * NODE_OPTIONS, which is why each service sets it itself (`HEAP_GROWTH_PERCENT`).
 */
export function boundHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) throw new RangeError(`heap growth must be a whole percent ≥ 0, got ${percent}`);
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
