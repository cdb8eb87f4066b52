import { costOnSchedule, pickTenantPrice, usageOf, type DefaultCatalog, type TenantPriceRow } from '@agentledger/model-pricing';
import type { Decimal } from '@agentledger/money';
import type { BudgetingDb } from '../db.js';

/** A pre-call check's estimate in tokens (CONTRACT part D: `provider` + `model` + `estimatedInputTokens` + `estimatedOutputTokens`). */
export interface TokenEstimate {
  readonly provider: string;
  readonly model: string;
  /** Whole, non-negative token counts. */
  readonly inputTokens: number | bigint;
  readonly outputTokens: number | bigint;
}

export interface CallEstimate {
  /** Exact USD, as pricing would price a call with these tokens. */
  readonly cost: Decimal;
  readonly source: 'tenant' | 'catalog';
  /** Which price it was (`tenant:<tenant>:<provider>/<model>@<from>` or `default:<provider>/<model>@<label>`), as priced costs name it. */
  readonly priceRef: string;
}

type PriceReader = Pick<BudgetingDb, 'tenantModelPrice'>;

export interface PriceBookOptions {
  readonly db: PriceReader;
  /** The default catalog bundled with this build (`loadDefaultCatalog()`); undefined prices tenant prices only. */
  readonly catalog: DefaultCatalog | undefined;
  /** How long a tenant's prices are used before they are read again (default 5 s). */
  readonly maxAgeMs?: number;
  /** Monotonic milliseconds, for the cache's age only (default `performance.now`). */
  readonly ageClock?: () => number;
}

interface Cached {
  readonly rows: readonly TenantPriceRow[];
  readonly loadedAt: number;
}

export const DEFAULT_PRICE_MAX_AGE_MS = 5_000;
/** Tenants held at most; past it the cache starts over (a price list is a few rows per tenant). */
const MAX_TENANTS = 10_000;

/**
 * The prices a pre-call check turns a token estimate into money with: the tenant's price in
 * force at `now`, else the default catalog's, matched and tiered exactly as pricing prices a
 * call (`@agentledger/model-pricing`), never a JS-number calculation.
 *
 * A tenant's prices are read from `tenant_model_price` (kept by the tenant prices projection)
 * on first use and held in memory. Staleness bound: in the replica whose projection applied a
 * price, the cache drops that tenant as soon as the batch commits (`pricesChanged`), so the next
 * estimate reads it; prices applied by another replica's projection — the consumer is shared, so
 * each price is applied by one replica only — are seen at most `maxAgeMs` after they committed.
 * Add the projection's own lag behind the stream (normally milliseconds) to either.
 */
export class PriceBook {
  private readonly cached = new Map<string, Cached>();
  /** Bumped by `pricesChanged`: a read that started before it is not kept. */
  private readonly generations = new Map<string, number>();
  private readonly loading = new Map<string, Promise<readonly TenantPriceRow[]>>();
  private readonly maxAgeMs: number;
  private readonly ageClock: () => number;

  constructor(private readonly options: PriceBookOptions) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_PRICE_MAX_AGE_MS;
    this.ageClock = options.ageClock ?? (() => performance.now());
  }

  /**
   * What a call with these tokens would cost at `now`, or undefined when neither the tenant nor
   * the default catalog prices the model. Throws RangeError on counts that are not whole and ≥ 0.
   */
  async estimateCallCost(tenant: string, estimate: TokenEstimate, now: Date): Promise<CallEstimate | undefined> {
    for (const count of [estimate.inputTokens, estimate.outputTokens]) {
      const whole = typeof count === 'bigint' || Number.isSafeInteger(count);
      if (!whole || count < 0) throw new RangeError(`token counts must be whole and not negative (got ${String(count)})`);
    }
    const usage = usageOf({ inputTokens: estimate.inputTokens, outputTokens: estimate.outputTokens });
    const tenantPrice = pickTenantPrice(await this.pricesOf(tenant), tenant, estimate.provider, estimate.model, now);
    if (tenantPrice) return { cost: costOnSchedule(tenantPrice.schedule, usage).total, source: 'tenant', priceRef: tenantPrice.ref };
    const defaultPrice = this.options.catalog?.find(estimate.provider, estimate.model, now);
    if (defaultPrice) return { cost: costOnSchedule(defaultPrice.schedule, usage).total, source: 'catalog', priceRef: defaultPrice.ref };
    return undefined;
  }

  /** The tenants whose prices a committed batch changed: read again on their next estimate. */
  pricesChanged(tenants: readonly string[]): void {
    for (const tenant of tenants) {
      this.cached.delete(tenant);
      this.loading.delete(tenant);
      this.generations.set(tenant, (this.generations.get(tenant) ?? 0) + 1);
    }
  }

  private async pricesOf(tenant: string): Promise<readonly TenantPriceRow[]> {
    const cached = this.cached.get(tenant);
    if (cached && this.ageClock() - cached.loadedAt < this.maxAgeMs) return cached.rows;
    let pending = this.loading.get(tenant);
    if (!pending) {
      pending = this.load(tenant);
      this.loading.set(tenant, pending);
    }
    return pending;
  }

  private async load(tenant: string): Promise<readonly TenantPriceRow[]> {
    const generation = this.generations.get(tenant) ?? 0;
    const startedAt = this.ageClock();
    try {
      const rows = await this.options.db.tenantModelPrice.findMany({ where: { tenant } });
      if ((this.generations.get(tenant) ?? 0) === generation) {
        if (this.cached.size >= MAX_TENANTS && !this.cached.has(tenant)) this.cached.clear();
        this.cached.set(tenant, { rows, loadedAt: startedAt });
      }
      return rows;
    } finally {
      if ((this.generations.get(tenant) ?? 0) === generation) this.loading.delete(tenant);
    }
  }
}
