import type { ImportGraph } from './import-graph.js';

/** A chain of imports that comes back to its first file: `[a, b, c]` means a → b → c → a. */
export type ImportCycle = readonly string[];

/**
 * The cycles to break: for every group of files that reach each other (a strongly connected
 * component), the shortest cycles through each of its files until every file is on one, so
 * each file of a tangle appears in at least one chain. Deterministic: files in sorted order.
 */
export function findCycles(graph: ImportGraph): ImportCycle[] {
  const cycles: ImportCycle[] = [];
  for (const component of stronglyConnected(graph)) {
    const members = new Set(component);
    const covered = new Set<string>();
    for (const file of [...component].sort()) {
      if (covered.has(file)) continue;
      const cycle = shortestCycleThrough(file, graph, members);
      if (cycle === undefined) continue; // a single file that does not import itself
      cycle.forEach((member) => covered.add(member));
      cycles.push(cycle);
    }
  }
  return cycles.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** Readable chains, one file a line, ending on the file they start from. */
export function formatCycles(project: string, cycles: readonly ImportCycle[]): string {
  const chains = cycles.map((cycle) => [...cycle, cycle[0]!].map((file, index) => (index === 0 ? `    ${file}` : `  → ${file}`)).join('\n'));
  const files = new Set(cycles.flat()).size;
  return [`${project}: ${cycles.length} import cycle${cycles.length === 1 ? '' : 's'} through ${files} file${files === 1 ? '' : 's'}`, ...chains].join('\n');
}

function shortestCycleThrough(start: string, graph: ImportGraph, members: ReadonlySet<string>): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let index = 0; index < queue.length; index++) {
    const file = queue[index]!;
    for (const target of [...(graph.get(file) ?? [])].sort()) {
      if (!members.has(target)) continue;
      if (target === start) return pathTo(file, start, previous);
      if (previous.has(target)) continue;
      previous.set(target, file);
      queue.push(target);
    }
  }
  return undefined;
}

function pathTo(last: string, start: string, previous: ReadonlyMap<string, string>): string[] {
  const path = [last];
  while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
  return path;
}

// Tarjan's algorithm, iterative so a deep import chain cannot overflow the stack.
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { file: string; next: number }[] = [{ file: root, next: 0 }];
    index.set(root, counter);
    lowLink.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = graph.get(frame.file) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, counter);
          lowLink.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ file: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.file, Math.min(lowLink.get(frame.file)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) lowLink.set(parent.file, Math.min(lowLink.get(parent.file)!, lowLink.get(frame.file)!));
      if (lowLink.get(frame.file) === index.get(frame.file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.file);
        components.push(component);
      }
    }
  }
  return components;
}
