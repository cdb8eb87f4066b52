import { posix } from 'node:path';
import ts from 'typescript';

/** Each source file (a project-relative posix path) and the project files it imports. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/**
 * The imports among a project's own files. Every module specifier counts: `import`,
 * `import type`, `export … from`, `import()` and `require`, because a type-only cycle is
 * still a cycle in the design. Specifiers that leave the project (packages, other projects'
 * files) are not edges.
 */
export function importGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const targets = importedFiles
      .map((imported) => resolveRelative(file, imported.fileName, sources))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

// ESM imports name the emitted file (`./x.js`, `./dir/index.js`); the source beside it is `.ts`.
const SOURCE_EXTENSIONS: Record<string, readonly string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
  '.jsx': ['.tsx'],
};

function resolveRelative(from: string, specifier: string, sources: ReadonlyMap<string, unknown>): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  const extension = posix.extname(target);
  const stem = target.slice(0, target.length - extension.length);
  const candidates = [
    ...(SOURCE_EXTENSIONS[extension] ?? []).map((sourceExtension) => stem + sourceExtension),
    target,
    `${target}.ts`,
    `${target}/index.ts`,
  ];
  return candidates.find((candidate) => sources.has(candidate));
}
