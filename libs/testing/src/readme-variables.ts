import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is `libs/testing/{src,dist}/readme-variables.*`. */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface DocumentedVariable {
  readonly name: string;
  /** The default column as written, e.g. "`nats://127.0.0.1:4222`". */
  readonly defaultText: string;
  /** Which programs read it: services, the gateway, `npm start`. */
  readonly readBy: string;
  readonly meaning: string;
}

/**
 * The rows of the README's variable table, headed `| variable | default | read by | meaning |`,
 * one variable a row (`` `NATS_URL` ``).
 */
export function documentedVariables(readmePath = resolve(repositoryRoot, 'README.md')): ReadonlyMap<string, DocumentedVariable> {
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const header = lines.findIndex((line) => /^\|\s*variable\s*\|\s*default\s*\|/.test(line));
  if (header < 0) throw new Error(`${readmePath} has no table headed "| variable | default |"`);
  const rows = new Map<string, DocumentedVariable>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [nameCell = '', defaultText = '', readBy = '', meaning = ''] = line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(nameCell)?.[1];
    if (!name) throw new Error(`README variable table: "${nameCell}" is not one \`VARIABLE\``);
    rows.set(name, { name, defaultText, readBy, meaning });
  }
  return rows;
}

/** A declared variable as far as the README cares: its name and default. */
type Declared = Record<string, { readonly default?: unknown }>;

/**
 * What the README's table lacks for `spec`: a variable not listed, or a default not written in
 * its default column (`` `4318` ``, `` `customer,feature` ``; an empty default as "empty").
 */
export function readmeVariableProblems(spec: Declared, readmePath?: string): string[] {
  const documented = documentedVariables(readmePath);
  const problems: string[] = [];
  for (const [name, field] of Object.entries(spec)) {
    const row = documented.get(name);
    if (!row) {
      problems.push(`${name} is not in the README's variable table`);
      continue;
    }
    if (field.default === undefined) continue;
    const written = Array.isArray(field.default) ? field.default.join(',') : String(field.default);
    const shown = written === '' ? /empty/.test(row.defaultText) : row.defaultText.includes(`\`${written}\``);
    if (!shown) problems.push(`${name}: the README's default "${row.defaultText}" does not show \`${written}\``);
  }
  return problems;
}
