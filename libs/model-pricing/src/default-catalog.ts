import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { calcPrice, waitForUpdate, type ModelInfo, type ModelPrice, type Provider } from '@pydantic/genai-prices';
import { Decimal } from '@agentledger/money';
import type { Rates } from './cost-of-call.js';
import type { PriceMatch } from './tenant-price.js';
import type { PriceSchedule } from './price-schedule.js';

/**
 * The default catalog: `@pydantic/genai-prices`' bundled data (offline; we never call its
 * auto-update), converted once to exact decimals. Only its data and its model-matching rules
 * are used; every cost is computed by our exact formula, never by its float arithmetic.
 */
export interface DefaultCatalog {
  /** "genai-prices@<package version>+<sha256 of the data, 12 hex>": changes whenever a price does. */
  readonly version: string;
  readonly packageVersion: string;
  readonly dataHash: string;
  readonly modelCount: number;
  /** The default price of what an agent sent at `time`, or undefined (then the call is unpriced). */
  find(provider: string, model: string, time: Date): PriceMatch | undefined;
  /** The catalog's own (provider id, model id) for a name as users send it. */
  match(provider: string, model: string): CatalogModelId | undefined;
}

export interface CatalogModelId {
  readonly provider: string;
  readonly model: string;
}

type Constraint = { readonly kind: 'start_date'; readonly from: Date } | { readonly kind: 'time_of_day'; readonly startSec: number; readonly endSec: number };

interface DatedPrice {
  readonly constraint?: Constraint;
  readonly label: string;
  /** Undefined when the entry prices no tokens (audio-only, per-page, ...): unpriced for a model call. */
  readonly schedule?: PriceSchedule;
}

/**
 * A catalog number as the exact decimal it was written as. The data travels as JSON numbers and
 * a few carry binary noise (0.18000000000000002); 15 significant digits, the precision a double
 * always holds, give back the decimal written in the source.
 */
export function exactDecimal(value: number): Decimal {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a price: ${value}`);
  return new Decimal(value.toPrecision(15));
}

type TieredValue = number | { base: number; tiers: Array<{ start: number; price: number }> } | undefined;

const RATE_KEYS = {
  input_mtok: 'inputPer1M',
  output_mtok: 'outputPer1M',
  cache_read_mtok: 'cacheReadPer1M',
  cache_write_mtok: 'cacheWritePer1M',
  output_reasoning_mtok: 'reasoningPer1M',
  requests_kcount: 'requestFee',
} as const satisfies Record<string, keyof Rates>;

const THOUSAND = new Decimal(1000);

/** The value of one price key for calls whose input exceeds `threshold` (undefined: the base). */
function valueAbove(value: TieredValue, threshold: number | undefined): Decimal | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return exactDecimal(value);
  let chosen = value.base;
  for (const tier of [...value.tiers].sort((a, b) => a.start - b.start)) if (threshold !== undefined && tier.start <= threshold) chosen = tier.price;
  return exactDecimal(chosen);
}

function ratesAbove(prices: ModelPrice, threshold: number | undefined): Rates {
  const rate = (key: keyof typeof RATE_KEYS) => valueAbove(prices[key] as TieredValue, threshold);
  // A model priced for one direction only (embeddings: input) bills the other at zero, as the package does.
  return {
    inputPer1M: rate('input_mtok') ?? new Decimal(0),
    outputPer1M: rate('output_mtok') ?? new Decimal(0),
    cacheReadPer1M: rate('cache_read_mtok'),
    cacheWritePer1M: rate('cache_write_mtok'),
    reasoningPer1M: rate('output_reasoning_mtok'),
    requestFee: rate('requests_kcount')?.dividedBy(THOUSAND),
  };
}

/** Converts one entry of the package's prices to an exact schedule with its tiers. */
export function scheduleOf(prices: ModelPrice): PriceSchedule | undefined {
  if (prices.input_mtok === undefined && prices.output_mtok === undefined) return undefined;
  const thresholds = new Set<number>();
  for (const key of Object.keys(RATE_KEYS)) {
    const value = prices[key] as TieredValue;
    if (typeof value === 'object') for (const tier of value.tiers) thresholds.add(tier.start);
  }
  return {
    base: ratesAbove(prices, undefined),
    tiers: [...thresholds].sort((a, b) => a - b).map((threshold) => ({ aboveInputTokens: BigInt(threshold), rates: ratesAbove(prices, threshold) })),
  };
}

/** "HH:MM:SS[.fff](Z|±HH:MM)" → seconds after UTC midnight. */
function secondsOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!match) throw new Error(`invalid time-of-day constraint ${text}`);
  const [, h, m, s, fraction = '', , sign, oh = '00', om = '00'] = match;
  const local = Number(h) * 3600 + Number(m) * 60 + Number(s) + Number(`0.${fraction}`);
  const offset = (Number(oh) * 60 + Number(om)) * 60 * (sign === '-' ? -1 : sign === '+' ? 1 : 0);
  return (local - offset + 86400) % 86400;
}

function datedPrices(model: ModelInfo): DatedPrice[] {
  if (!Array.isArray(model.prices)) return [{ label: 'base', schedule: scheduleOf(model.prices) }];
  return model.prices.map((conditional) => {
    const constraint = conditional.constraint;
    if (!constraint) return { label: 'base', schedule: scheduleOf(conditional.prices) };
    if (constraint.type === 'start_date') {
      return { constraint: { kind: 'start_date', from: new Date(`${constraint.start_date}T00:00:00Z`) }, label: constraint.start_date, schedule: scheduleOf(conditional.prices) };
    }
    return {
      constraint: { kind: 'time_of_day', startSec: secondsOfDay(constraint.start_time), endSec: secondsOfDay(constraint.end_time) },
      label: `${constraint.start_time}-${constraint.end_time}`,
      schedule: scheduleOf(conditional.prices),
    };
  });
}

/** The entry in force at `time`: the package's rule (the last entry whose constraint holds, else the first). */
export function priceAt(prices: readonly DatedPrice[], time: Date): DatedPrice | undefined {
  for (let index = prices.length - 1; index >= 0; index--) {
    const price = prices[index]!;
    const constraint = price.constraint;
    if (!constraint) return price;
    if (constraint.kind === 'start_date') {
      if (time.getTime() >= constraint.from.getTime()) return price;
      continue;
    }
    const second = time.getUTCHours() * 3600 + time.getUTCMinutes() * 60 + time.getUTCSeconds() + time.getUTCMilliseconds() / 1000;
    const { startSec, endSec } = constraint;
    const inside = endSec < startSec ? second >= startSec || second < endSec : second >= startSec && second < endSec;
    if (inside) return price;
  }
  return prices[0];
}

/** Bedrock ids carry a region and a version ("us.anthropic.claude-3-5-sonnet-20240620-v1:0"); Vertex a "@" date. */
function nameVariants(model: string): string[] {
  const variants = [model];
  const bedrock = /^(?:(?:us|eu|apac|global|us-gov)\.)?([a-z0-9-]+)\.(.+?)(?:-v\d+(?::\d+)?)?$/.exec(model);
  if (bedrock && !model.includes('/')) variants.push(bedrock[2]!);
  if (model.includes('@')) variants.push(model.replace('@', '-'));
  return variants;
}

function matchWithPackage(provider: string, model: string): CatalogModelId | undefined {
  const attempt = (modelId: string, providerId?: string): CatalogModelId | undefined => {
    try {
      const result = calcPrice({}, modelId, providerId ? { providerId } : {});
      return result ? { provider: result.provider.id, model: result.model.id } : undefined;
    } catch {
      return undefined;
    }
  };
  const candidates: Array<[string, string | undefined]> = [];
  const slash = model.indexOf('/');
  // OpenRouter / LiteLLM style: the provider is the name's prefix ("anthropic/claude-sonnet-4-5").
  if (slash > 0) candidates.push([model, provider], [model.slice(slash + 1), model.slice(0, slash)], [model.slice(slash + 1), provider]);
  for (const name of nameVariants(slash > 0 ? model.slice(slash + 1) : model)) candidates.push([name, provider]);
  candidates.push([slash > 0 ? model.slice(slash + 1) : model, undefined]);
  for (const [name, providerId] of candidates) {
    const found = attempt(name, providerId);
    if (found) return found;
  }
  return undefined;
}

const MATCH_CACHE_LIMIT = 10_000;

export function buildDefaultCatalog(providers: readonly Provider[], packageVersion: string): DefaultCatalog {
  const dataHash = createHash('sha256').update(JSON.stringify(providers)).digest('hex').slice(0, 12);
  const models = new Map<string, DatedPrice[]>();
  for (const provider of providers) for (const model of provider.models) models.set(`${provider.id}/${model.id}`, datedPrices(model));
  const matches = new Map<string, CatalogModelId | null>();
  const match = (provider: string, model: string): CatalogModelId | undefined => {
    const key = `${provider.trim().toLowerCase()}|${model.trim().toLowerCase()}`;
    let found = matches.get(key);
    if (found === undefined) {
      found = matchWithPackage(provider.trim().toLowerCase(), model.trim().toLowerCase()) ?? null;
      if (matches.size >= MATCH_CACHE_LIMIT) matches.clear();
      matches.set(key, found);
    }
    return found ?? undefined;
  };
  const version = `genai-prices@${packageVersion}+${dataHash}`;
  return {
    version,
    packageVersion,
    dataHash,
    modelCount: models.size,
    match,
    find(provider, model, time) {
      const id = match(provider, model);
      if (!id) return undefined;
      const price = priceAt(models.get(`${id.provider}/${id.model}`) ?? [], time);
      if (!price?.schedule) return undefined;
      return { schedule: price.schedule, ref: `default:${id.provider}/${id.model}@${price.label}` };
    },
  };
}

function packageVersion(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@pydantic/genai-prices');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

/** The bundled data of the installed package (the package resolves its data promise at once when offline). */
export async function loadDefaultCatalog(): Promise<DefaultCatalog> {
  const providers = await waitForUpdate();
  if (!providers) throw new Error('@pydantic/genai-prices has no bundled data');
  return buildDefaultCatalog(providers, packageVersion());
}
