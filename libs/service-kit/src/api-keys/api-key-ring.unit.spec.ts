import { inspect } from 'node:util';
import { createHash } from 'node:crypto';
import { ApiKeyListError, ApiKeyRing, authenticate } from './api-key-ring.js';

const keyId = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 8);

function problemsOf(list: string): readonly string[] {
  try {
    ApiKeyRing.parse(list);
  } catch (error) {
    if (error instanceof ApiKeyListError) return error.problems;
    throw error;
  }
  throw new Error('expected the list to be rejected');
}

describe('API keys', () => {
  const ring = ApiKeyRing.parse('key1=tenantA:admin, key2=tenantA:viewer,keyB=tenant_B-2:viewer,');

  it('maps each key to its tenant, role and a short non-secret id', () => {
    expect(ring.size).toBe(3);
    expect(ring.authenticate('key1')).toEqual({ tenant: 'tenantA', role: 'admin', keyId: keyId('key1') });
    expect(ring.authenticate('key2')).toEqual({ tenant: 'tenantA', role: 'viewer', keyId: keyId('key2') });
    expect(ring.authenticate('keyB')).toEqual({ tenant: 'tenant_B-2', role: 'viewer', keyId: keyId('keyB') });
    expect(keyId('key1')).toMatch(/^[0-9a-f]{8}$/);
  });

  it('knows no other key', () => {
    expect(ring.authenticate('key3')).toBeUndefined();
    expect(ring.authenticate('')).toBeUndefined();
    expect(ring.authenticate('KEY1')).toBeUndefined();
  });

  it('keeps only hashes in memory, never the keys', () => {
    const secret = 'sk-live-4f1c0e2a9b';
    const held = inspect(ApiKeyRing.parse(`${secret}=acme:admin`), { depth: 10, showHidden: true });
    expect(held).toContain('acme');
    expect(held).not.toContain(secret);
  });

  it('accepts keys ending in base64 padding', () => {
    const padded = ApiKeyRing.parse('c2VjcmV0===acme:viewer');
    expect(padded.authenticate('c2VjcmV0==')?.tenant).toBe('acme');
    expect(padded.authenticate('c2VjcmV0')).toBeUndefined();
  });

  it('names every bad entry by position without echoing its key', () => {
    const problems = problemsOf('good=acme:admin,secretkey,s3cr3t=acme:owner,other=bad tenant!:viewer,good=acme:viewer,white space=acme:admin,k=acme');
    expect(problems).toEqual([
      'entry 2 (9 characters) is not key=tenant:role',
      'entry 3 (a key of 6 characters for "acme:owner"): role "owner" is not one of admin, viewer',
      'entry 4 (a key of 5 characters for "bad tenant!:viewer"): tenant "bad tenant!" must match [A-Za-z0-9_-]{1,64}',
      'entry 5 repeats the key of an earlier entry',
      'entry 6 (a key of 11 characters for "acme:admin"): the key contains white space',
      'entry 7 (a key of 1 characters for "acme"): expected tenant:role after "="',
    ]);
    expect(problems.join('\n')).not.toMatch(/secretkey|s3cr3t/);
  });

  it('refuses an empty list', () => {
    expect(problemsOf(' , ')).toEqual(['no API key is configured (expected key=tenant:role, comma-separated)']);
  });

  it('reads the bearer key of an Authorization header', () => {
    expect(authenticate(ring, 'Bearer key1')).toEqual({ caller: { tenant: 'tenantA', role: 'admin', keyId: keyId('key1') } });
    expect(authenticate(ring, 'bearer   key2 ')).toEqual({ caller: { tenant: 'tenantA', role: 'viewer', keyId: keyId('key2') } });
    expect(authenticate(ring, undefined)).toEqual({ failure: 'missing' });
    expect(authenticate(ring, '  ')).toEqual({ failure: 'missing' });
    expect(authenticate(ring, 'key1')).toEqual({ failure: 'malformed' });
    expect(authenticate(ring, 'Basic a2V5MTo=')).toEqual({ failure: 'malformed' });
    expect(authenticate(ring, 'Bearer key1 key2')).toEqual({ failure: 'malformed' });
    expect(authenticate(ring, 'Bearer nope')).toEqual({ failure: 'unknown' });
  });
});
