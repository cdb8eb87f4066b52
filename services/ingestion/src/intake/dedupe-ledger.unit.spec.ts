import { ledgerKey, RecentKeys } from './dedupe-ledger.js';

describe('ledgerKey', () => {
  it('is SHA-256 of tenant, source and id, NUL-separated, in base64url: the keys ledgers already hold stay valid', () => {
    expect(ledgerKey('acme', 'agent://support-bot', 'evt-1')).toBe('xFfPfKXW51qb5U2owk3gsP8H_GYfGvZaMmmNkmfT-rM');
  });
});

describe('RecentKeys', () => {
  it('keeps at most its capacity, dropping the least recently seen first', () => {
    const recent = new RecentKeys(3);
    recent.remember(['a', 'b', 'c']);
    expect(recent.has('a')).toBe(true); // seen again: now the most recent
    recent.remember(['d', 'e']);
    expect(recent.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].filter((key) => recent.has(key))).toEqual(['a', 'd', 'e']);
  });

  it('remembers a batch larger than its capacity as the last keys of it', () => {
    const recent = new RecentKeys(2);
    recent.remember(['a', 'b', 'c', 'd']);
    expect(recent.size).toBe(2);
    expect(['a', 'b', 'c', 'd'].filter((key) => recent.has(key))).toEqual(['c', 'd']);
  });

  it('counts a key remembered twice once', () => {
    const recent = new RecentKeys(5);
    recent.remember(['a', 'b']);
    recent.remember(['a']);
    expect(recent.size).toBe(2);
  });
});
