// A small Dockerfile reader: instructions grouped by stage, with line continuations joined and
// comments dropped. Enough to check what the image does without a Docker engine.

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  name?: string;
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string | undefined>;
  stages: Stage[];
}

function logicalLines(text: string): Instruction[] {
  const result: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (trimmed === '' && !pending)) return;
    const continued = trimmed.endsWith('\\');
    const piece = continued ? trimmed.slice(0, -1) : trimmed;
    pending = pending ? { text: `${pending.text} ${piece}`, line: pending.line } : { text: piece, line: index + 1 };
    if (!continued) {
      const match = /^(\S+)\s*([\s\S]*)$/.exec(pending.text) as RegExpExecArray;
      result.push({ keyword: match[1].toUpperCase(), args: match[2].trim(), line: pending.line });
      pending = undefined;
    }
  });
  return result;
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  for (const instruction of logicalLines(text)) {
    if (instruction.keyword === 'FROM') {
      const match = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!match) throw new Error(`line ${instruction.line}: cannot read FROM ${instruction.args}`);
      stages.push({ from: match[1], name: match[2]?.toLowerCase(), instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.keyword !== 'ARG') throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
      const [name, ...value] = instruction.args.split('=');
      globalArgs[name] = value.length > 0 ? value.join('=') : undefined;
    } else {
      stages[stages.length - 1].instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

/** The image a stage starts from, with global ARG defaults substituted. */
export function baseImage(dockerfile: Dockerfile, stage: Stage): string {
  return stage.from.replace(/\$\{?(\w+)\}?/g, (_, name: string) => dockerfile.globalArgs[name] ?? '');
}

export function instructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}

/** The stages a stage builds on, nearest first (FROM <stage>). */
export function ancestry(dockerfile: Dockerfile, stage: Stage): Stage[] {
  const parent = dockerfile.stages.find((candidate) => candidate.name !== undefined && candidate.name === stage.from.toLowerCase());
  return parent ? [parent, ...ancestry(dockerfile, parent)] : [];
}

export const nodeImage = 'node:20-bookworm-slim';

/** What the one Dockerfile for all services must do; empty when it does. */
export function serviceImageProblems(dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  const runtime = dockerfile.stages[dockerfile.stages.length - 1];
  if (!runtime) return ['no FROM'];
  const stageNames = new Set<string>();
  for (const stage of dockerfile.stages) {
    const image = baseImage(dockerfile, stage);
    if (!stageNames.has(stage.from.toLowerCase()) && image !== nodeImage) problems.push(`stage ${stage.name ?? '?'} starts from ${image}, expected ${nodeImage}`);
    for (const copy of instructions(stage, 'COPY')) {
      const from = /--from=(\S+)/.exec(copy.args)?.[1];
      if (from && !stageNames.has(from.toLowerCase())) problems.push(`line ${copy.line}: COPY --from=${from} names no earlier stage`);
    }
    if (stage.name) stageNames.add(stage.name);
  }
  if (dockerfile.stages.length < 2) problems.push('not a multi-stage build');

  const runs = (stage: Stage): string => instructions(stage, 'RUN').map((run) => run.args).join('\n');
  const lineage = [runtime, ...ancestry(dockerfile, runtime)];
  const copiedFrom = instructions(runtime, 'COPY').flatMap((copy) => /--from=(\S+)/.exec(copy.args)?.[1].toLowerCase() ?? []);
  const builder = dockerfile.stages.find((stage) => stage.name !== undefined && copiedFrom.includes(stage.name) && /\bnpm run build\b/.test(runs(stage)));
  if (!builder) problems.push('the runtime stage copies from no stage that runs `npm run build`');
  else {
    const builderLineage = [builder, ...ancestry(dockerfile, builder)];
    if (!builderLineage.some((stage) => /\bnpm ci\b/.test(runs(stage)))) problems.push('`npm run build` runs without a prior `npm ci`');
  }

  if (!instructions(runtime, 'ARG').some((arg) => /^SERVICE(=|$)/.test(arg.args))) problems.push('the runtime stage does not declare ARG SERVICE');
  const user = instructions(runtime, 'USER').at(-1)?.args.split(':')[0];
  if (!user || user === 'root' || user === '0') problems.push(`the runtime stage runs as ${user ?? 'root (no USER)'}`);
  // The nearest stage that sets a command decides it; within a stage the last one wins.
  const start =
    lineage
      .map((stage) => stage.instructions.filter((instruction) => ['CMD', 'ENTRYPOINT'].includes(instruction.keyword)).at(-1))
      .find((instruction) => instruction !== undefined)?.args ?? '';
  if (!/node services\/\$\{?SERVICE\}?\/dist\/main\.js/.test(start)) problems.push(`the image does not start node services/$SERVICE/dist/main.js (${start || 'no CMD'})`);
  if (!instructions(runtime, 'COPY').some((copy) => /services\/\$\{?SERVICE\}?/.test(copy.args))) problems.push('the runtime stage does not copy services/$SERVICE');
  return problems;
}
