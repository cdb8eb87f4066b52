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
    const targets = moduleSpecifiers(file, text)
      .map((specifier) => resolveRelative(file, specifier, sources))
      .filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every module a file names, from its syntax tree (comments and strings that look like imports are not). */
function moduleSpecifiers(file: string, text: string): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && isImportOrRequire(node.expression) && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      specifiers.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS));
  return specifiers;
}

const isImportOrRequire = (callee: ts.Expression): boolean =>
  callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');

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
    // Bundler-style specifiers (the dashboard, built by Vite) leave the extension out.
    `${target}.ts`,
    `${target}.tsx`,
    `${target}/index.ts`,
    `${target}/index.tsx`,
  ];
  return candidates.find((candidate) => sources.has(candidate));
}
