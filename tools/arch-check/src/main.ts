// `npm run lint` (nx target `cycles`): fails when a project imports itself through its own files.
import { resolve } from 'node:path';
import { findCycles, formatCycles } from './cycles.js';
import { importGraph } from './import-graph.js';
import { listProjects, readProjectSources } from './project-sources.js';

const workspaceRoot = resolve(process.argv[2] ?? '.');
const reports: string[] = [];
const projects = await listProjects(workspaceRoot);
for (const project of projects) {
  const cycles = findCycles(importGraph(await readProjectSources(resolve(workspaceRoot, project))));
  if (cycles.length > 0) reports.push(formatCycles(project, cycles));
}

if (reports.length > 0) {
  console.error(
    [
      'Import cycles: a project must not import a file of its own that imports it back (type-only imports count).',
      'Break each chain below, e.g. by moving what both sides need into a file that imports neither.',
      '',
      reports.join('\n\n'),
    ].join('\n'),
  );
  process.exitCode = 1;
} else {
  console.log(`no import cycles in ${projects.length} projects`);
}
