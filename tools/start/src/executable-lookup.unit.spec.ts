import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from './executable-lookup.js';

describe('finding nats-server', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'agentledger-lookup-'));
    for (const dir of ['bin', 'sbin', 'empty']) await mkdir(join(root, dir));
    await writeFile(join(root, 'sbin', 'nats-server'), '#!/bin/sh\n');
    await chmod(join(root, 'sbin', 'nats-server'), 0o755);
    await writeFile(join(root, 'bin', 'nats-server'), 'not executable');
    await chmod(join(root, 'bin', 'nats-server'), 0o644);
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('skips files that are not executable and falls back to the extra directories', () => {
    expect(findExecutable('nats-server', join(root, 'bin'), [join(root, 'sbin')])).toBe(join(root, 'sbin', 'nats-server'));
  });

  it('prefers PATH', () => {
    expect(findExecutable('nats-server', `${join(root, 'empty')}:${join(root, 'sbin')}`, [])).toBe(
      join(root, 'sbin', 'nats-server'),
    );
  });

  it('reports a missing program', () => {
    expect(findExecutable('nats-server', undefined, [join(root, 'empty')])).toBeUndefined();
  });
});
