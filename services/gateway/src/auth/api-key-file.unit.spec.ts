import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_KEY_FILE, issueKey, readApiKeyFile, revokeKey, ringOf, writeApiKeyFile } from './api-key-file.js';
import { ApiKeyListError, ApiKeyRing } from './api-keys.js';
import { ApiKeyStore } from './api-key-store.js';

const NOW = new Date('2026-01-02T03:04:05.000Z');
const LATER = new Date('2026-02-01T00:00:00.000Z');
const silent = { info: () => undefined, error: () => undefined };

describe('the API key file', () => {
  it('issues a key for a tenant and role, keeping only its SHA-256', () => {
    const { key, record, file } = issueKey(EMPTY_KEY_FILE, { tenant: 'acme', role: 'viewer', label: 'grafana' }, NOW, Buffer.alloc(32, 7));
    const hash = createHash('sha256').update(key).digest('hex');
    expect(key).toBe(`al_${Buffer.alloc(32, 7).toString('base64url')}`);
    expect(record).toEqual({ keyId: hash.slice(0, 8), sha256: hash, tenant: 'acme', role: 'viewer', label: 'grafana', createdAt: '2026-01-02T03:04:05.000Z' });
    expect(JSON.stringify(file)).not.toContain(key);
    expect(ringOf(file).authenticate(key)).toEqual({ tenant: 'acme', role: 'viewer', keyId: hash.slice(0, 8) });
  });

  it('refuses a bad tenant or role', () => {
    expect(() => issueKey(EMPTY_KEY_FILE, { tenant: 'a b', role: 'viewer' }, NOW)).toThrow(ApiKeyListError);
    expect(() => issueKey(EMPTY_KEY_FILE, { tenant: 'acme', role: 'owner' as 'admin' }, NOW)).toThrow('role "owner" is not one of admin, viewer');
  });

  it('revokes a key by its id: it stays listed, no longer accepted', () => {
    const first = issueKey(EMPTY_KEY_FILE, { tenant: 'acme', role: 'admin' }, NOW, Buffer.alloc(32, 1));
    const second = issueKey(first.file, { tenant: 'globex', role: 'viewer' }, NOW, Buffer.alloc(32, 2));
    const { file, record } = revokeKey(second.file, first.record.keyId, LATER);
    expect(record.revokedAt).toBe('2026-02-01T00:00:00.000Z');
    expect(file.keys).toHaveLength(2);
    expect(ringOf(file).authenticate(first.key)).toBeUndefined();
    expect(ringOf(file).authenticate(second.key)?.tenant).toBe('globex');
    expect(() => revokeKey(file, first.record.keyId, LATER)).toThrow(`no live key has the id "${first.record.keyId}"`);
  });

  it('is re-read by the gateway when it changes, beside the listed keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'api-keys-'));
    const path = join(dir, 'keys.json');
    try {
      const issued = issueKey(EMPTY_KEY_FILE, { tenant: 'acme', role: 'admin' }, NOW);
      await writeApiKeyFile(path, issued.file);
      expect(await readApiKeyFile(path)).toEqual(issued.file);
      const store = await ApiKeyStore.open(ApiKeyRing.parse('dev=dev:viewer'), path, silent);
      try {
        expect(store.authenticate(issued.key)?.tenant).toBe('acme');
        expect(store.authenticate('dev')?.tenant).toBe('dev');
        await writeApiKeyFile(path, revokeKey(issued.file, issued.record.keyId, LATER).file);
        await store.reload();
        expect(store.authenticate(issued.key)).toBeUndefined();
        await writeFile(path, 'not json');
        await expect(store.reload()).rejects.toThrow('is not JSON');
        expect(store.authenticate('dev')?.tenant).toBe('dev'); // the previous keys stay in force
      } finally {
        store.stop();
      }
      expect(await readFile(path, 'utf8')).toBe('not json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('treats a missing file as empty', async () => {
    expect(await readApiKeyFile('/nonexistent/keys.json')).toEqual(EMPTY_KEY_FILE);
  });
});
