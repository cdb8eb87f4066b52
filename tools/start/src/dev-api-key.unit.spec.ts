import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_API_KEY_FILE, generateDevKey, resolveApiKeys } from './dev-api-key.js';

describe('development API key', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'agentledger-start-')), '.data');
  });

  afterEach(async () => {
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('is dev_ followed by 32 hex characters', () => {
    expect(generateDevKey((bytes) => Buffer.alloc(bytes, 0xab))).toBe(`dev_${'ab'.repeat(16)}`);
    expect(generateDevKey()).toMatch(/^dev_[0-9a-f]{32}$/);
  });

  it('uses AGENTLEDGER_API_KEYS as given and writes no file', async () => {
    const setup = await resolveApiKeys({ AGENTLEDGER_API_KEYS: 'key1=tenantA:admin,key2=tenantA:viewer' }, dataDir);
    expect(setup).toEqual({ apiKeys: 'key1=tenantA:admin,key2=tenantA:viewer', source: 'environment' });
    await expect(stat(join(dataDir, DEV_API_KEY_FILE))).rejects.toThrow('ENOENT');
  });

  it('creates a key once, owner-readable only, and reuses it on the next start', async () => {
    const key = `dev_${'1f'.repeat(16)}`;
    const first = await resolveApiKeys({}, dataDir, () => key);
    expect(first).toEqual({ apiKeys: `${key}=dev:admin`, devKey: key, source: 'created' });
    expect(await readFile(join(dataDir, DEV_API_KEY_FILE), 'utf8')).toBe(`${key}\n`);
    expect((await stat(join(dataDir, DEV_API_KEY_FILE))).mode & 0o777).toBe(0o600);

    const second = await resolveApiKeys({}, dataDir, () => 'dev_not_used_because_reused');
    expect(second).toEqual({ apiKeys: `${key}=dev:admin`, devKey: key, source: 'reused' });
  });

  it('treats an empty AGENTLEDGER_API_KEYS as unset', async () => {
    const setup = await resolveApiKeys({ AGENTLEDGER_API_KEYS: '  ' }, dataDir, () => `dev_${'2e'.repeat(16)}`);
    expect(setup.source).toBe('created');
  });

  it('replaces a file whose content cannot be a key', async () => {
    await resolveApiKeys({}, dataDir, () => `dev_${'3d'.repeat(16)}`);
    await writeFile(join(dataDir, DEV_API_KEY_FILE), 'oops=tenant:admin\n');
    const setup = await resolveApiKeys({}, dataDir, () => `dev_${'4c'.repeat(16)}`);
    expect(setup).toEqual({ apiKeys: `dev_${'4c'.repeat(16)}=dev:admin`, devKey: `dev_${'4c'.repeat(16)}`, source: 'created' });
  });
});
