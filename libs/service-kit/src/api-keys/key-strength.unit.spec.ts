import { ApiKeyRing } from './api-key-ring.js';
import { productionApiKeyProblems } from './api-key-config.js';
import { weakKeyReason } from './key-strength.js';

describe('what production refuses as an API key', () => {
  it.each([
    ['', 'is 0 characters long, fewer than 24'],
    ['CHANGE_ME', 'is 9 characters long, fewer than 24'],
    ['key1', 'is 4 characters long, fewer than 24'],
    ['CHANGE_ME-0b7d1f3a9c2e4d6f8a', 'looks like a placeholder (contains "changeme")'],
    ['my-example-key-7f3a9c2e4d6f8a0b', 'looks like a placeholder (contains "example")'],
    ['dev-admin-key-0123456789abcdef', 'looks like a placeholder (contains "devadminkey")'],
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'has too little entropy (repeated or few distinct characters)'],
    ['abababababababababababababababab', 'has too little entropy (repeated or few distinct characters)'],
    ['abcdefghijklmnopqrstuvwxyz0123456789', 'is mostly a run of consecutive characters'],
  ])('%j %s', (key, reason) => {
    expect(weakKeyReason(key)).toBe(reason);
  });

  it.each(['f3a9c1d27b8e4605a1c9e2d7b3f80a4c', '9b1e0d4c7a2f5e8b3c6d1a0f4e7b2c5d8a1f4e7b0c3d6a9f2e5b8c1d4a7f0e3b', 'q8ZP3x_Kd0vL2mRtY7wN5bHcJ9sF4gUa'])(
    'accepts a generated key (%s)',
    (key) => {
      expect(weakKeyReason(key)).toBeUndefined();
    },
  );

  it('names the entry in production only, never the key', () => {
    const ring = ApiKeyRing.parse('f3a9c1d27b8e4605a1c9e2d7b3f80a4c=acme:admin,CHANGE_ME=acme:viewer');
    expect(productionApiKeyProblems('development', ring)).toEqual([]);
    expect(productionApiKeyProblems('production', undefined)).toEqual([]);
    expect(productionApiKeyProblems('production', ring)).toEqual([
      {
        variable: 'AGENTLEDGER_API_KEYS',
        problem: 'entry 2 (a key of 9 characters for "acme:viewer"): the key is 9 characters long, fewer than 24; NODE_ENV is production, generate one with `openssl rand -hex 32`',
      },
    ]);
  });
});
