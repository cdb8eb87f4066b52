import { hash } from 'node:crypto';
import type { CanonicalFact } from '@agentledger/contracts';

/** The dedupe ledger's projection name in `applied_key`: (tenant, source, id) seen once, forever. */
export const DEDUPE_LEDGER = 'ingestion-dedupe';

/**
 * The ledger key of an event: SHA-256 of (tenant, source, id), 43 base64url characters. A raw
 * key can be ~830 characters (source 512, id 256); a fixed short one keeps the ledger's B-tree
 * (and the facts' msgIDs) small at 100M+ events. NUL separates the parts, which none may contain
 * ambiguously, so distinct triples never share a preimage.
 */
export function ledgerKey(tenant: string, source: string, eventId: string): string {
  return hash('sha256', `${tenant}\u0000${source}\u0000${eventId}`, 'base64url');
}

export function ledgerKeyOf(fact: CanonicalFact): string {
  return ledgerKey(fact.tenant, fact.source, fact.eventId);
}

/**
 * The keys most recently committed to the ledger, bounded (least recently seen dropped first).
 * A hint only: a key here is certainly in the ledger (added after the commit), so a duplicate
 * published again seconds later skips the database; a key absent here says nothing, and the
 * ledger's `ON CONFLICT DO NOTHING` decides.
 */
export class RecentKeys {
  private readonly keys = new Map<string, true>();

  constructor(readonly capacity = 50_000) {}

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    if (!this.keys.has(key)) return false;
    this.keys.delete(key);
    this.keys.set(key, true);
    return true;
  }

  /**
   * Call only after the ledger transaction that recorded them committed. The oldest keys past the
   * capacity go in one pass over the map: a Map keeps deleted entries in place until it is
   * rehashed, and every new iterator steps over them again, so dropping one key per insert (a new
   * iterator each) made this a sixth of ingestion's CPU under load (tools/bench/README.md).
   */
  remember(keys: Iterable<string>): void {
    for (const key of keys) {
      this.keys.delete(key);
      this.keys.set(key, true);
    }
    let excess = this.keys.size - this.capacity;
    if (excess <= 0) return;
    for (const oldest of this.keys.keys()) {
      this.keys.delete(oldest);
      if (--excess === 0) break;
    }
  }
}
