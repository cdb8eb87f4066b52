// The repository's Markdown must stand on its own: a clone has nothing beside it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** README.md, docs/**, and the README of every service, lib and tool. */
export function markdownFiles(root: string): string[] {
  const files = ['README.md'];
  const walk = (dir: string): void => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir)).sort()) {
      const path = join(dir, entry);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (entry.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  for (const group of ['services', 'libs', 'tools']) {
    for (const project of readdirSync(join(root, group)).sort()) {
      const readme = join(group, project, 'README.md');
      if (existsSync(join(root, readme))) files.push(readme);
    }
  }
  return files;
}

export interface MarkdownLink {
  readonly line: number;
  readonly target: string;
}

/** Inline links and images `[text](target)` and reference definitions `[name]: target`, outside code. */
export function linksIn(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    if (fenced) return;
    const prose = text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: index + 1, target: match[1]! });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(prose);
    if (definition) links.push({ line: index + 1, target: definition[1]! });
  });
  return links;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const text of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    const heading = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const base = headingAnchor(heading[1]!);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

const WEB = /^(https?:|mailto:)/i;

/**
 * Every link of `file` that leaves the repository (an absolute path, a `file:` URL, a relative
 * path above the root) or names a file, or a heading of a Markdown file, that does not exist.
 * Web addresses are allowed: they are not part of the clone either way.
 */
export function linkProblems(root: string, file: string): string[] {
  const markdown = readFileSync(join(root, file), 'utf8');
  const problems: string[] = [];
  for (const { line, target } of linksIn(markdown)) {
    const where = `${file}:${line}: ${target}`;
    if (WEB.test(target)) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      problems.push(`${where} is not a path inside the repository`);
      continue;
    }
    const [pathPart = '', anchor] = target.split('#', 2);
    const path = decodeURIComponent(pathPart);
    if (path.startsWith('/')) {
      problems.push(`${where} is an absolute path; link relative to ${file}`);
      continue;
    }
    const resolved = path === '' ? join(root, file) : resolve(join(root, dirname(file)), path);
    const inside = relative(root, resolved);
    if (inside.startsWith('..') || inside.split(sep)[0] === '..') {
      problems.push(`${where} leads outside the repository`);
      continue;
    }
    if (!existsSync(resolved)) {
      problems.push(`${where} does not exist`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
      problems.push(`${where}: ${inside} has no heading #${anchor}`);
    }
  }
  return problems;
}
