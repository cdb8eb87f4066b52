import { calcPrice, waitForUpdate, type Provider } from '@pydantic/genai-prices';
import { formatDecimal, parseDecimal } from '@agentledger/money';
import { costOfCall, usageOf, type Usage } from './cost-of-call.js';
import { ratesFor } from './price-schedule.js';
import { buildDefaultCatalog, exactDecimal, loadDefaultCatalog, type DefaultCatalog } from './default-catalog.js';

let catalog: DefaultCatalog;
let providers: Provider[];

beforeAll(async () => {
  catalog = await loadDefaultCatalog();
  providers = (await waitForUpdate())!;
});

const costAt = (provider: string, model: string, time: string, counts: Parameters<typeof usageOf>[0]) => {
  const price = catalog.find(provider, model, new Date(time));
  if (!price) return undefined;
  const usage = usageOf(counts);
  return { ref: price.ref, cost: formatDecimal(costOfCall(usage, ratesFor(price.schedule, usage)).total) };
};

describe('default catalog from @pydantic/genai-prices', () => {
  it('is versioned by package version and a hash of its data', () => {
    expect(catalog.version).toMatch(/^genai-prices@0\.1\.8\+[0-9a-f]{12}$/);
    expect(catalog.modelCount).toBeGreaterThan(1000);
    expect(buildDefaultCatalog(providers, '0.1.8').version).toBe(catalog.version);
    expect(buildDefaultCatalog(providers.slice(1), '0.1.8').version).not.toBe(catalog.version);
  });

  it('turns the JSON numbers into the decimals written in the source', () => {
    expect(formatDecimal(exactDecimal(0.18000000000000002))).toBe('0.18');
    expect(formatDecimal(exactDecimal(0.003625))).toBe('0.003625');
    expect(formatDecimal(exactDecimal(1e-7))).toBe('0.0000001');
    expect(formatDecimal(exactDecimal(2.5))).toBe('2.5');
  });

  it.each([
    ['openai', 'gpt-4o', 'openai/gpt-4o'],
    ['OpenAI', 'GPT-4o', 'openai/gpt-4o'],
    ['openai', 'gpt-4o-2024-08-06', 'openai/gpt-4o'],
    ['openai', 'openai/gpt-4o', 'openai/gpt-4o'],
    ['openrouter', 'anthropic/claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
    ['litellm', 'anthropic/claude-sonnet-4-5', 'anthropic/claude-sonnet-4-5'],
    ['anthropic', 'claude-3-5-sonnet-20240620', 'anthropic/claude-3-5-sonnet'],
    ['bedrock', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws/regional.anthropic.claude-3-5-sonnet-20240620-v1:0'],
    ['aws', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws/regional.anthropic.claude-3-5-sonnet-20240620-v1:0'],
    ['vertex', 'claude-3-5-sonnet@20240620', 'google/claude-3-5-sonnet'],
    ['anthropic', 'claude-3-5-sonnet@20240620', 'anthropic/claude-3-5-sonnet'],
  ])('matches %s %s as users send it → %s', (provider, model, expected) => {
    const id = catalog.match(provider, model);
    expect(id && `${id.provider}/${id.model}`).toBe(expected);
  });

  it('leaves unknown models unpriced rather than guessing', () => {
    expect(catalog.match('acme', 'our-finetune-7b')).toBeUndefined();
    expect(catalog.find('acme', 'our-finetune-7b', new Date('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('prices a provider-prefixed name exactly like the bare name', () => {
    const usage = { inputTokens: 1834, outputTokens: 240, cacheReadTokens: 1024 };
    expect(costAt('openai', 'openai/gpt-4o-mini', '2026-06-01T00:00:00Z', usage)).toEqual(costAt('openai', 'gpt-4o-mini', '2026-06-01T00:00:00Z', usage));
    // 810·0.15 + 1024·0.075 + 240·0.6 per 1M
    expect(costAt('openai', 'gpt-4o-mini', '2026-06-01T00:00:00Z', usage)).toEqual({ ref: 'default:openai/gpt-4o-mini@base', cost: '0.0003423' });
    // OpenRouter lists its own prices for the models it resells: its listing wins for its calls.
    expect(costAt('openrouter', 'openai/gpt-4o-mini', '2026-06-01T00:00:00Z', usage)!.ref).toBe('default:openrouter/openai/gpt-4o-mini@base');
  });

  it('applies a tier to the whole call once input tokens exceed its threshold (200k for Claude Sonnet 4.5)', () => {
    const at = '2026-06-01T00:00:00Z';
    // 200,000 input tokens: not above the threshold, base rates 3 / 15.
    expect(costAt('anthropic', 'claude-sonnet-4-5', at, { inputTokens: 200_000, outputTokens: 1_000 })!.cost).toBe('0.615');
    // 200,001: every token at the tier's 6 / 22.5, output included.
    expect(costAt('anthropic', 'claude-sonnet-4-5', at, { inputTokens: 200_001, outputTokens: 1_000 })!.cost).toBe('1.222506');
    // cache reads and writes take their own tiers too (0.6 and 7.5)
    expect(costAt('anthropic', 'claude-sonnet-4-5', at, { inputTokens: 300_000, cacheReadTokens: 100_000, cacheWriteTokens: 100_000, outputTokens: 0 })!.cost).toBe('1.41');
  });

  it('switches at a dated price change at the exact instant (o3 on 2025-06-10T00:00:00Z)', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(costAt('openai', 'o3', '2025-06-09T23:59:59.999Z', usage)).toEqual({ ref: 'default:openai/o3@base', cost: '50' });
    expect(costAt('openai', 'o3', '2025-06-10T00:00:00.000Z', usage)).toEqual({ ref: 'default:openai/o3@2025-06-10', cost: '10' });
    expect(costAt('openai', 'o3', '2025-06-10T00:00:00.001Z', usage)).toEqual({ ref: 'default:openai/o3@2025-06-10', cost: '10' });
  });

  it('follows time-of-day prices (DeepSeek off-peak)', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };
    expect(costAt('deepseek', 'deepseek-chat', '2026-03-01T12:00:00Z', usage)!.cost).toBe('1.37');
    expect(costAt('deepseek', 'deepseek-chat', '2026-03-01T16:30:00Z', usage)!.cost).toBe('0.685');
  });

  it('prices request fees and reasoning rates where the catalog has them', () => {
    expect(costAt('perplexity', 'sonar', '2026-03-01T12:00:00Z', { inputTokens: 0, outputTokens: 0 })!.cost).toBe('0.012');
    expect(costAt('perplexity', 'sonar-deep-research', '2026-03-01T12:00:00Z', { inputTokens: 0, outputTokens: 2_000_000, reasoningTokens: 1_000_000 })!.cost).toBe('11');
  });

  it('stays exact at 10^9 tokens and at zero tokens', () => {
    expect(costAt('openai', 'gpt-4o', '2026-03-01T12:00:00Z', { inputTokens: 1_000_000_000, outputTokens: 1_000_000_000, cacheReadTokens: 999_999_999 })!.cost).toBe(
      '11250.00000125',
    );
    expect(costAt('openai', 'gpt-4o', '2026-03-01T12:00:00Z', { inputTokens: 0, outputTokens: 0 })!.cost).toBe('0');
  });

  it('agrees with calcPrice of @pydantic/genai-prices within its float error on 100+ (model, usage) pairs', () => {
    const time = new Date('2026-03-01T12:00:00Z');
    let compared = 0;
    let index = 0;
    for (const provider of providers) {
      for (const model of provider.models) {
        index++;
        const price = catalog.find(provider.id, model.id, time);
        const id = catalog.match(provider.id, model.id);
        if (!price || id?.provider !== provider.id || id.model !== model.id) continue;
        const input = 1 + ((index * 7919) % 400_000);
        const usage: Usage = usageOf({
          inputTokens: input,
          cacheReadTokens: Math.floor(input / 3),
          cacheWriteTokens: index % 2 === 0 ? Math.floor(input / 5) : 0,
          outputTokens: 1 + ((index * 104_729) % 50_000),
          reasoningTokens: index % 3 === 0 ? 17 : 0,
        });
        let theirs;
        try {
          theirs = calcPrice(
            {
              input_tokens: Number(usage.inputTokens),
              cache_read_tokens: Number(usage.cacheReadTokens),
              cache_write_tokens: Number(usage.cacheWriteTokens),
              output_tokens: Number(usage.outputTokens),
              output_reasoning_tokens: Number(usage.reasoningTokens),
            },
            model.id,
            { providerId: provider.id, timestamp: time },
          );
        } catch {
          continue; // prices the package itself refuses (missing ancestor keys): not comparable
        }
        if (!theirs || theirs.model.id !== model.id) continue;
        const ours = costOfCall(usage, ratesFor(price.schedule, usage)).total;
        const tolerance = Math.max(1e-12, Math.abs(theirs.total_price) * 1e-9);
        expect({ model: `${provider.id}/${model.id}`, diff: Math.abs(ours.toNumber() - theirs.total_price) <= tolerance }).toEqual({
          model: `${provider.id}/${model.id}`,
          diff: true,
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(100);
  });
});

describe('exact decimal sanity', () => {
  it('parses the schedule rates as exact decimals', () => {
    const price = catalog.find('openai', 'gpt-4o', new Date('2026-03-01T00:00:00Z'))!;
    expect(price.schedule.base.inputPer1M.equals(parseDecimal('2.5'))).toBe(true);
    expect(price.ref).toBe('default:openai/gpt-4o@base');
  });
});
