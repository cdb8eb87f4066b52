import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The groups of projects in the workspace (each `<group>/<name>` with a package.json). */
export const PROJECT_GROUPS = ['apps', 'libs', 'services', 'tools'] as const;

// Generated code (Prisma clients, protobuf) and build output are not designed by hand.
const SKIPPED_DIRECTORIES = new Set(['generated', 'gen', 'dist', 'node_modules']);
const SOURCE_ROOTS = ['src', 'test'];
const SOURCE_FILE = /\.(c|m)?tsx?$/;

/** Every project directory, relative to the workspace root, sorted. */
export async function listProjects(workspaceRoot: string): Promise<string[]> {
  const projects: string[] = [];
  for (const group of PROJECT_GROUPS) {
    const groupDir = join(workspaceRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of await readdir(groupDir, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(groupDir, entry.name, 'package.json'))) projects.push(`${group}/${entry.name}`);
    }
  }
  return projects.sort();
}

/** A project's hand-written TypeScript under src/ and test/, by project-relative posix path. */
export async function readProjectSources(projectDir: string): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const root of SOURCE_ROOTS) {
    for (const file of await sourceFiles(join(projectDir, root))) {
      sources.set(relative(projectDir, file).split(sep).join('/'), await readFile(file, 'utf8'));
    }
  }
  return sources;
}

async function sourceFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) files.push(...(await sourceFiles(path)));
    else if (entry.isFile() && SOURCE_FILE.test(entry.name)) files.push(path);
  }
  return files;
}
