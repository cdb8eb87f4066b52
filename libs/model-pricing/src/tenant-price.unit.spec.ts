import { formatDecimal } from '@agentledger/money';
import { usageOf } from './cost-of-call.js';
import { costOnSchedule } from './price-schedule.js';
import { pickTenantPrice, type TenantPriceRow } from './tenant-price.js';

const row = (model: string, effectiveFrom: string, inputPer1M: string, effectiveTo: string | null = null, tenant = 'acme'): TenantPriceRow => ({
  tenant,
  provider: 'openai',
  model,
  effectiveFrom: new Date(effectiveFrom),
  effectiveTo: effectiveTo === null ? null : new Date(effectiveTo),
  inputPer1M,
  outputPer1M: '0.6',
  cacheReadPer1M: null,
  cacheWritePer1M: null,
  reasoningPer1M: '2',
  requestFee: null,
});

const rows = [
  row('gpt-4o-mini', '2026-01-01T00:00:00Z', '0.15'),
  row('gpt-4o-mini', '2026-06-01T00:00:00Z', '0.1', '2026-07-01T00:00:00Z'),
  row('gpt-4o-mini', '2026-01-01T00:00:00Z', '9', null, 'globex'),
];
const pick = (model: string, at: string, provider = 'openai') => pickTenantPrice(rows, 'acme', provider, model, new Date(at));

describe('pickTenantPrice (the tenant price in force)', () => {
  it('given prices from January and June, the latest start at or before the time is in force', () => {
    expect(pick('gpt-4o-mini', '2026-05-31T23:59:59.999Z')?.ref).toBe('tenant:acme:openai/gpt-4o-mini@2026-01-01T00:00:00.000Z');
    expect(pick('gpt-4o-mini', '2026-06-01T00:00:00Z')?.ref).toBe('tenant:acme:openai/gpt-4o-mini@2026-06-01T00:00:00.000Z');
  });

  it('given an entry that ended, the open-ended one before it is in force again from its end; before any entry, none', () => {
    expect(pick('gpt-4o-mini', '2026-07-01T00:00:00Z')?.ref).toBe('tenant:acme:openai/gpt-4o-mini@2026-01-01T00:00:00.000Z');
    expect(pick('gpt-4o-mini', '2025-12-31T23:59:59.999Z')).toBeUndefined();
  });

  it('matches names as sent (case, spaces, a provider prefix), never another tenant\'s price', () => {
    expect(pick('OpenAI/GPT-4o-Mini ', '2026-02-01T00:00:00Z', ' OPENAI')?.ref).toBe('tenant:acme:openai/gpt-4o-mini@2026-01-01T00:00:00.000Z');
    expect(pickTenantPrice(rows, 'initech', 'openai', 'gpt-4o-mini', new Date('2026-02-01T00:00:00Z'))).toBeUndefined();
  });

  it('prices a call on it exactly, the reasoning tokens at their own rate and cache reads at the input rate', () => {
    const price = pick('gpt-4o-mini', '2026-02-01T00:00:00Z')!;
    const cost = costOnSchedule(price.schedule, usageOf({ inputTokens: 1834, cacheReadTokens: 1024, outputTokens: 240, reasoningTokens: 40 }));
    // 1834 · 0.15 + 200 · 0.6 + 40 · 2, per 1M
    expect(formatDecimal(cost.total)).toBe('0.0004751');
  });
});
