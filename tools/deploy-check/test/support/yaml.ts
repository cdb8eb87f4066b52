// YAML loading that fails loudly: syntax errors, duplicate keys and warnings are errors here,
// because docker compose and kubectl would reject (or silently misread) such a file.
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parseDocument, type Document } from 'yaml';

function failOnProblems(source: string, doc: Document.Parsed): void {
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length > 0) {
    throw new Error(`${source}: ${problems.map((problem) => problem.message).join('\n')}`);
  }
}

/** One YAML document, with `<<` merge keys resolved as docker compose resolves them. */
export function parseYamlText(text: string, source = '<text>'): unknown {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  failOnProblems(source, doc);
  return doc.toJS();
}

export function readYamlFile(path: string): unknown {
  return parseYamlText(readFileSync(path, 'utf8'), path);
}

/**
 * Every non-empty document of a multi-document YAML text, read as YAML 1.1 like kubectl does
 * (so an unquoted `yes` or `on` is a boolean here too, and fails where a string is expected).
 */
export function parseYamlDocuments(text: string, source = '<text>'): unknown[] {
  return parseAllDocuments(text, { prettyErrors: true, version: '1.1' }).flatMap((doc) => {
    if (!('errors' in doc)) throw new Error(`${source}: not a YAML stream`);
    failOnProblems(source, doc);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}
