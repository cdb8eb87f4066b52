// Sums a V8 CPU profile (`node --cpu-prof`, or `CPU_PROFILE_DIR` with `npm start` or bench:all)
// by self time: how busy the process was, and where the busy time went, by package and by
// function. `node tools/bench/dist/profile-summary.js <file.cpuprofile> [top]`.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code lives: a package, node core, our code, or V8's own buckets (GC, idle…). */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node core';
  const nodeModules = url.lastIndexOf('node_modules/');
  if (nodeModules >= 0) {
    const parts = url.slice(nodeModules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const ours = /\/(libs|services|tools)\/([^/]+)\//.exec(url);
  return ours ? `ours: ${ours[1]}/${ours[2]}` : url;
}

export function summarise(profile: CpuProfile, top = 15) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const frame = byId.get(id)!.callFrame;
    total += micros;
    if (frame.functionName === '(idle)' || frame.functionName === '(program)') {
      idle += frame.functionName === '(idle)' ? micros : 0;
      if (frame.functionName === '(idle)') return;
    }
    const owner = ownerOf(frame.url, frame.functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + micros);
    const where = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    functions.set(where, (functions.get(where) ?? 0) + micros);
  });
  const busy = total - idle;
  const share = (micros: number) => `${((100 * micros) / busy).toFixed(1)} %`;
  const ranked = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, micros]) => `${share(micros).padStart(7)}  ${name}`);
  return { seconds: total / 1e6, busyShare: busy / total, owners: ranked(owners), functions: ranked(functions) };
}

if (process.argv[1]?.endsWith('profile-summary.js')) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: profile-summary <file.cpuprofile> [top]');
    process.exit(2);
  }
  const summary = summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(top ?? 15));
  console.log(`${file}: ${summary.seconds.toFixed(1)} s, busy ${(summary.busyShare * 100).toFixed(0)} %`);
  console.log('by owner (share of busy time):');
  for (const line of summary.owners) console.log(line);
  console.log('by function (self time):');
  for (const line of summary.functions) console.log(line);
}
