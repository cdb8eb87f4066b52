import type { FocusCostView } from '@agentledger/contracts';

/**
 * FOCUS 1.2 (FinOps Open Cost and Usage Specification) rows from AgentLedger's priced events.
 * What each column holds, and why, is in docs/focus-export.md; the rules the columns follow are
 * checked one by one, as data (focus-spec-rules.ts), in focus-spec.unit.spec.ts and the export's integration test.
 */

/** The columns in the order the CSV writes them: FOCUS's, then ours (`x_`-prefixed). */
export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'ServiceSubcategory',
  'SkuId',
  'SubAccountId',
  'SubAccountName',
  'Tags',
  'x_AgentId',
  'x_Team',
  'x_Workflow',
  'x_Environment',
  'x_RunId',
  'x_SpanId',
  'x_EventId',
  'x_EventType',
  'x_EventTime',
  'x_Model',
  'x_Tool',
  'x_TokenKind',
  'x_InputTokens',
  'x_OutputTokens',
  'x_CacheReadTokens',
  'x_CacheWriteTokens',
  'x_ReasoningTokens',
  'x_Outcome',
  'x_OutcomeSuccess',
] as const;

export type FocusColumn = (typeof FOCUS_COLUMNS)[number];
/** One FOCUS row; null is a null value (an empty CSV field). */
export type FocusRow = Record<FocusColumn, string | null>;

export type FocusGranularity = 'event' | 'sku';

export const SERVICE_CATEGORY = 'AI and Machine Learning';
export const SERVICE_SUBCATEGORY = 'Generative AI';

/** The token kinds of an LLM call, each a SKU of its model at `granularity=sku`. */
const TOKEN_PARTS = [
  { part: 'input', tokens: 'inputTokens', kind: 'input' },
  { part: 'cacheRead', tokens: 'cacheReadTokens', kind: 'cache-read' },
  { part: 'cacheWrite', tokens: 'cacheWriteTokens', kind: 'cache-write' },
  { part: 'output', tokens: 'outputTokens', kind: 'output' },
  { part: 'reasoning', tokens: 'reasoningTokens', kind: 'reasoning' },
] as const;

const HOUR_MS = 3_600_000;

/** FOCUS date-times: ISO 8601 in UTC, to the second, with a Z. */
export function focusDateTime(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The calendar month (UTC) holding the instant: FOCUS's billing period, start inclusive, end exclusive. */
export function billingPeriodOf(instant: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1));
  const end = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + 1, 1));
  return { start, end };
}

/** The hour holding the event: its charge period (usage is charged by the hour, as cloud bills do). */
export function chargePeriodOf(instant: Date): { start: Date; end: Date } {
  const start = new Date(Math.floor(instant.getTime() / HOUR_MS) * HOUR_MS);
  return { start, end: new Date(start.getTime() + HOUR_MS) };
}

/** Who sold the usage: the model's provider, a SaaS vendor, or the tool. */
function providerOf(cost: FocusCostView): string {
  return cost.provider || cost.vendor || cost.tool || 'unknown';
}

function serviceNameOf(cost: FocusCostView): string {
  if (cost.factType === 'llm.call') return cost.model || 'LLM';
  if (cost.factType === 'tool.call') return cost.tool || 'Tool';
  return cost.vendor || cost.provider || 'SaaS';
}

function totalTokens(cost: FocusCostView): bigint {
  return TOKEN_PARTS.reduce((total, { tokens }) => total + BigInt(cost[tokens]), 0n);
}

function tagsOf(cost: FocusCostView): string {
  const tags: Record<string, string> = {};
  if (cost.team) tags.team = cost.team;
  if (cost.workflow) tags.workflow = cost.workflow;
  if (cost.environment) tags.environment = cost.environment;
  for (const [key, value] of Object.entries(cost.attributes)) if (!(key in tags)) tags[key] = value;
  return JSON.stringify(tags);
}

interface Charge {
  readonly cost: string;
  readonly skuId: string;
  readonly description: string;
  readonly pricingQuantity: string;
  readonly pricingUnit: string;
  readonly consumedQuantity: string;
  readonly consumedUnit: string;
  readonly tokenKind: string | null;
}

function eventCharge(cost: FocusCostView): Charge {
  const provider = providerOf(cost);
  if (cost.factType === 'llm.call') {
    return {
      cost: cost.cost,
      skuId: `${provider}/${cost.model}`,
      description: `${cost.model} call by agent ${cost.agentId}`,
      pricingQuantity: '1',
      pricingUnit: 'Requests',
      consumedQuantity: totalTokens(cost).toString(),
      consumedUnit: 'Tokens',
      tokenKind: null,
    };
  }
  if (cost.factType === 'tool.call') {
    return {
      cost: cost.cost,
      skuId: `${provider}/tool/${cost.tool}`,
      description: `${cost.tool} tool call by agent ${cost.agentId}`,
      pricingQuantity: '1',
      pricingUnit: 'Requests',
      consumedQuantity: '1',
      consumedUnit: 'Requests',
      tokenKind: null,
    };
  }
  return {
    cost: cost.cost,
    skuId: `${provider}/saas`,
    description: `${serviceNameOf(cost)} usage by agent ${cost.agentId}`,
    pricingQuantity: '1',
    pricingUnit: 'Requests',
    consumedQuantity: '1',
    consumedUnit: 'Requests',
    tokenKind: null,
  };
}

/**
 * One charge per token kind the call used (its tokens, and the part of the cost the breakdown
 * gives it), then one for whatever the token parts do not cover (a request fee, a reported
 * cost): the charges' costs add up to the event's cost exactly. Events without a breakdown,
 * and tool or SaaS events, stay one charge.
 */
function skuCharges(cost: FocusCostView): Charge[] {
  if (cost.factType !== 'llm.call' || cost.breakdown === null) return [eventCharge(cost)];
  const provider = providerOf(cost);
  const charges: Charge[] = [];
  for (const { part, tokens, kind } of TOKEN_PARTS) {
    const used = BigInt(cost[tokens]);
    const amount = cost.breakdown[part];
    if (used === 0n && amount === undefined) continue;
    charges.push({
      cost: amount ?? '0',
      skuId: `${provider}/${cost.model}/${kind}`,
      description: `${cost.model} ${kind} tokens by agent ${cost.agentId}`,
      pricingQuantity: used.toString(),
      pricingUnit: 'Tokens',
      consumedQuantity: used.toString(),
      consumedUnit: 'Tokens',
      tokenKind: kind,
    });
  }
  const rest = Object.entries(cost.breakdown).filter(([part]) => !TOKEN_PARTS.some((token) => token.part === part));
  for (const [part, amount] of rest) {
    charges.push({
      cost: amount,
      skuId: `${provider}/${cost.model}/${part === 'requestFee' ? 'request' : part}`,
      description: `${cost.model} ${part === 'requestFee' ? 'request fee' : part} by agent ${cost.agentId}`,
      pricingQuantity: '1',
      pricingUnit: 'Requests',
      consumedQuantity: '1',
      consumedUnit: 'Requests',
      tokenKind: part === 'requestFee' ? 'request' : part,
    });
  }
  return charges.length > 0 ? charges : [eventCharge(cost)];
}

/** The FOCUS rows of one priced event: one, or one per SKU at `granularity=sku`. */
export function focusRowsOf(cost: FocusCostView, tenant: string, currency: string, granularity: FocusGranularity): FocusRow[] {
  const time = new Date(cost.time);
  const billing = billingPeriodOf(time);
  const charge = chargePeriodOf(time);
  const provider = providerOf(cost);
  const charges = granularity === 'sku' ? skuCharges(cost) : [eventCharge(cost)];
  return charges.map((item) => ({
    BilledCost: item.cost,
    BillingAccountId: tenant,
    BillingAccountName: tenant,
    BillingCurrency: currency,
    BillingPeriodEnd: focusDateTime(billing.end),
    BillingPeriodStart: focusDateTime(billing.start),
    ChargeCategory: 'Usage',
    ChargeClass: null,
    ChargeDescription: item.description,
    ChargeFrequency: 'Usage-Based',
    ChargePeriodEnd: focusDateTime(charge.end),
    ChargePeriodStart: focusDateTime(charge.start),
    ConsumedQuantity: item.consumedQuantity,
    ConsumedUnit: item.consumedUnit,
    ContractedCost: item.cost,
    EffectiveCost: item.cost,
    InvoiceIssuerName: provider,
    ListCost: item.cost,
    PricingQuantity: item.pricingQuantity,
    PricingUnit: item.pricingUnit,
    ProviderName: provider,
    PublisherName: provider,
    ResourceId: cost.agentId || null,
    ResourceName: cost.agentId || null,
    ResourceType: cost.agentId ? 'AI Agent' : null,
    ServiceCategory: SERVICE_CATEGORY,
    ServiceName: serviceNameOf(cost),
    ServiceSubcategory: SERVICE_SUBCATEGORY,
    SkuId: item.skuId,
    SubAccountId: cost.team || null,
    SubAccountName: cost.team || null,
    Tags: tagsOf(cost),
    // FOCUS's null handling (attributes/null_handling.md): an absent value is null, never ''.
    x_AgentId: cost.agentId || null,
    x_Team: cost.team || null,
    x_Workflow: cost.workflow || null,
    x_Environment: cost.environment || null,
    x_RunId: cost.traceId || null,
    x_SpanId: cost.spanId || null,
    x_EventId: cost.factKey,
    x_EventType: cost.factType,
    x_EventTime: cost.time,
    x_Model: cost.model || null,
    x_Tool: cost.tool || null,
    x_TokenKind: item.tokenKind,
    x_InputTokens: cost.inputTokens,
    x_OutputTokens: cost.outputTokens,
    x_CacheReadTokens: cost.cacheReadTokens,
    x_CacheWriteTokens: cost.cacheWriteTokens,
    x_ReasoningTokens: cost.reasoningTokens,
    x_Outcome: cost.outcome || null,
    x_OutcomeSuccess: cost.outcomeSuccess === null ? null : String(cost.outcomeSuccess),
  }));
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(values: ReadonlyArray<string | null>): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

export const CSV_HEADER = csvLine([...FOCUS_COLUMNS]);

export function csvRow(row: FocusRow): string {
  return csvLine(FOCUS_COLUMNS.map((column) => row[column]));
}
