import { decimalEquals } from '@agentledger/money';
import type { FocusColumn, FocusRow } from './focus-rows.js';

/**
 * The FOCUS 1.2 column requirements the export's rows must meet, one rule per requirement, each
 * naming the file of the specification (FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag v1.2,
 * `specification/`) and the requirement as it is written there. The unit test holds them against
 * the rows `focusRowsOf` builds; the integration test against the CSV the endpoint streams.
 *
 * What a requirement cannot be checked on rows alone (a dataset's columns, one ServiceName to one
 * ServiceCategory) is a `DatasetRule`. Requirements about columns the export does not carry
 * (ListUnitPrice, ContractedUnitPrice, CommitmentDiscountId, InvoiceId) hold vacuously and are
 * left out; so are SHOULDs it does not meet on purpose (x_EventTime keeps its milliseconds).
 */

export interface RowRule {
  readonly spec: string;
  readonly requirement: string;
  /** The reason the row breaks the rule, or undefined when it keeps it. */
  readonly broken: (row: FocusRow) => string | undefined;
}

export interface DatasetRule {
  readonly spec: string;
  readonly requirement: string;
  readonly broken: (columns: readonly string[], rows: readonly FocusRow[]) => string | undefined;
}

/** The 21 columns FOCUS 1.2 makes mandatory, with the specification file of each. */
export const MANDATORY_COLUMNS: ReadonlyArray<readonly [FocusColumn, string]> = [
  ['BilledCost', 'billedcost.md'],
  ['BillingAccountId', 'billingaccountid.md'],
  ['BillingAccountName', 'billingaccountname.md'],
  ['BillingCurrency', 'billingcurrency.md'],
  ['BillingPeriodEnd', 'billingperiodend.md'],
  ['BillingPeriodStart', 'billingperiodstart.md'],
  ['ChargeCategory', 'chargecategory.md'],
  ['ChargeClass', 'chargeclass.md'],
  ['ChargeDescription', 'chargedescription.md'],
  ['ChargePeriodEnd', 'chargeperiodend.md'],
  ['ChargePeriodStart', 'chargeperiodstart.md'],
  ['ContractedCost', 'contractedcost.md'],
  ['EffectiveCost', 'effectivecost.md'],
  ['InvoiceIssuerName', 'invoiceissuer.md'],
  ['ListCost', 'listcost.md'],
  ['PricingQuantity', 'pricingquantity.md'],
  ['PricingUnit', 'pricingunit.md'],
  ['ProviderName', 'provider.md'],
  ['PublisherName', 'publisher.md'],
  ['ServiceCategory', 'servicecategory.md'],
  ['ServiceName', 'servicename.md'],
];

/** Conditional columns that apply to AgentLedger: it measures usage, prices by SKU, bills agents (resources), teams and tags. */
export const CONDITIONAL_COLUMNS: ReadonlyArray<readonly [FocusColumn, string, string]> = [
  ['ConsumedQuantity', 'consumedquantity.md', 'when the provider supports the measurement of usage'],
  ['ConsumedUnit', 'consumedunit.md', 'when the provider supports the measurement of usage'],
  ['SkuId', 'skuid.md', 'when the provider supports unit pricing concepts and publishes price lists'],
  ['ResourceId', 'resourceid.md', 'when the provider supports billing based on provisioned resources'],
  ['ResourceName', 'resourcename.md', 'when the provider supports billing based on provisioned resources'],
  ['ResourceType', 'resourcetype.md', 'when the provider supports billing based on provisioned resources and supports assigning types to resources'],
  ['SubAccountId', 'subaccountid.md', 'when the provider supports a sub account construct'],
  ['SubAccountName', 'subaccountname.md', 'when the provider supports a sub account construct'],
  ['Tags', 'tags.md', 'when the provider supports setting user or provider-defined tags'],
];

const DECIMAL_COLUMNS = ['BilledCost', 'ContractedCost', 'EffectiveCost', 'ListCost'] as const satisfies readonly FocusColumn[];
const DATE_TIME_COLUMNS = ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'] as const satisfies readonly FocusColumn[];
const NOT_NULL_STRINGS = [
  ['BillingAccountId', 'billingaccountid.md'],
  ['BillingCurrency', 'billingcurrency.md'],
  ['ChargeCategory', 'chargecategory.md'],
  ['InvoiceIssuerName', 'invoiceissuer.md'],
  ['ProviderName', 'provider.md'],
  ['PublisherName', 'publisher.md'],
  ['ServiceCategory', 'servicecategory.md'],
  ['ServiceName', 'servicename.md'],
  ['ServiceSubcategory', 'servicesubcategory.md'],
  ['ChargeFrequency', 'chargefrequency.md'],
] as const satisfies ReadonlyArray<readonly [FocusColumn, string]>;

/** attributes/numeric_format.md: an integer, a decimal, or E notation; a sign only when negative; no other character. */
const NUMERIC_FORMAT = /^-?\d+(\.\d+)?(E-?\d+)?$/;
/** attributes/datetime_format.md: 'YYYY-MM-DDTHH:mm:ssZ'. */
const DATE_TIME_FORMAT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$/;
/** attributes/unit_format.md: `<plural-units>`, `<quantity> <plural-units>`, `<singular>-<plural-time-units>` or `<plural-units>/<time-unit>`, capitalised. */
const UNIT_FORMAT = /^(\d+ )?[A-Z][A-Za-z]*(-[A-Z][a-z]+|\/(\d+ )?[A-Z][a-z]+)?$/;
/** ISO 4217 codes of national currencies AgentLedger could bill in (attributes/currency_format.md). */
const ISO_4217 = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'CNY', 'INR', 'SEK', 'NOK', 'DKK', 'BRL', 'SGD']);

const CHARGE_CATEGORIES = ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'];
const CHARGE_FREQUENCIES = ['One-Time', 'Recurring', 'Usage-Based'];
const SERVICE_CATEGORIES = [
  'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud', 'Identity', 'Integration',
  'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking', 'Security', 'Storage', 'Web', 'Other',
];
/** columns/servicesubcategory.md: the AI and Machine Learning subcategories, each with its one parent. */
const AI_SUBCATEGORIES = ['AI Platforms', 'Bots', 'Generative AI', 'Machine Learning', 'Natural Language Processing', 'Other (AI and Machine Learning)'];

const isUsage = (row: FocusRow) => row.ChargeCategory === 'Usage';
const isCorrection = (row: FocusRow) => row.ChargeClass === 'Correction';
const at = (text: string | null) => Date.parse(text ?? '');
const fail = (condition: boolean, reason: string) => (condition ? reason : undefined);
const sameDecimal = (left: string | null, right: string | null) => left !== null && right !== null && decimalEquals(left, right);

function decimalRules(column: (typeof DECIMAL_COLUMNS)[number]): RowRule[] {
  const spec = `columns/${column.toLowerCase()}.md`;
  return [
    { spec, requirement: `${column} MUST NOT be null`, broken: (row) => fail(row[column] === null, 'null') },
    { spec, requirement: `${column} MUST be of type Decimal and conform to NumericFormat requirements`, broken: (row) => fail(!NUMERIC_FORMAT.test(row[column] ?? ''), JSON.stringify(row[column])) },
    { spec, requirement: `${column} MUST be denominated in the BillingCurrency`, broken: (row) => fail(row.BillingCurrency !== 'USD', `${row.BillingCurrency}, AgentLedger's costs are USD`) },
  ];
}

function dateTimeRules(column: (typeof DATE_TIME_COLUMNS)[number]): RowRule[] {
  const spec = `columns/${column.toLowerCase()}.md`;
  return [
    { spec, requirement: `${column} MUST NOT be null`, broken: (row) => fail(row[column] === null, 'null') },
    { spec, requirement: `${column} MUST be of type Date/Time and conform to DateTimeFormat requirements (attributes/datetime_format.md)`, broken: (row) => fail(!DATE_TIME_FORMAT.test(row[column] ?? ''), JSON.stringify(row[column])) },
  ];
}

function notNullStringRules([column, file]: readonly [FocusColumn, string]): RowRule[] {
  return [{ spec: `columns/${file}`, requirement: `${column} MUST NOT be null (and, attributes/string_handling.md, SHOULD NOT be empty or only spaces)`, broken: (row) => fail((row[column] ?? '').trim() === '', JSON.stringify(row[column])) }];
}

export const ROW_RULES: readonly RowRule[] = [
  ...DECIMAL_COLUMNS.flatMap(decimalRules),
  ...DATE_TIME_COLUMNS.flatMap(dateTimeRules),
  ...NOT_NULL_STRINGS.flatMap(notNullStringRules),
  { spec: 'columns/billingaccountname.md', requirement: 'BillingAccountName MUST NOT be null when the provider supports assigning a display name for the billing account', broken: (row) => fail(!row.BillingAccountName, 'null') },
  { spec: 'columns/billingcurrency.md', requirement: 'BillingCurrency MUST conform to CurrencyFormat requirements: an ISO 4217 national currency code (attributes/currency_format.md)', broken: (row) => fail(!ISO_4217.has(row.BillingCurrency ?? ''), JSON.stringify(row.BillingCurrency)) },
  { spec: 'columns/billingperiodstart.md', requirement: 'BillingPeriodStart MUST be the inclusive start bound of the billing period (a calendar month in UTC)', broken: (row) => fail(!/^\d{4}-\d{2}-01T00:00:00Z$/.test(row.BillingPeriodStart ?? '') || at(row.BillingPeriodStart) > at(row.ChargePeriodStart), `${row.BillingPeriodStart} for a charge from ${row.ChargePeriodStart}`) },
  {
    spec: 'columns/billingperiodend.md',
    requirement: 'BillingPeriodEnd MUST be the exclusive end bound of the billing period (the first instant of the next month)',
    broken: (row) => {
      const start = new Date(at(row.BillingPeriodStart));
      const next = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
      return fail(at(row.BillingPeriodEnd) !== next || at(row.ChargePeriodEnd) > at(row.BillingPeriodEnd), `${row.BillingPeriodStart}..${row.BillingPeriodEnd}`);
    },
  },
  { spec: 'columns/chargeperiodstart.md', requirement: 'ChargePeriodStart MUST be the inclusive start bound of the effective period of the charge (the event is at or after it)', broken: (row) => fail(row.x_EventTime !== null && at(row.ChargePeriodStart) > at(row.x_EventTime), `${row.ChargePeriodStart} after ${row.x_EventTime}`) },
  { spec: 'columns/chargeperiodend.md', requirement: 'ChargePeriodEnd MUST be the exclusive end bound of the effective period of the charge (the event is before it)', broken: (row) => fail(at(row.ChargePeriodEnd) <= at(row.ChargePeriodStart) || (row.x_EventTime !== null && at(row.x_EventTime) >= at(row.ChargePeriodEnd)), `${row.ChargePeriodStart}..${row.ChargePeriodEnd} for ${row.x_EventTime}`) },
  { spec: 'columns/chargecategory.md', requirement: 'ChargeCategory MUST be one of the allowed values', broken: (row) => fail(!CHARGE_CATEGORIES.includes(row.ChargeCategory ?? ''), JSON.stringify(row.ChargeCategory)) },
  { spec: 'columns/chargeclass.md', requirement: 'ChargeClass MUST be "Correction" when ChargeClass is not null', broken: (row) => fail(row.ChargeClass !== null && row.ChargeClass !== 'Correction', JSON.stringify(row.ChargeClass)) },
  { spec: 'columns/chargeclass.md', requirement: 'ChargeClass MUST be null when the row does not represent a correction or represents one within the current billing period (corrections are netted into their event)', broken: (row) => fail(row.ChargeClass !== null, JSON.stringify(row.ChargeClass)) },
  { spec: 'columns/chargedescription.md', requirement: 'ChargeDescription SHOULD NOT be null', broken: (row) => fail(!row.ChargeDescription?.trim(), 'null') },
  { spec: 'columns/chargefrequency.md', requirement: 'ChargeFrequency MUST be one of the allowed values', broken: (row) => fail(!CHARGE_FREQUENCIES.includes(row.ChargeFrequency ?? ''), JSON.stringify(row.ChargeFrequency)) },
  { spec: 'columns/chargefrequency.md', requirement: 'ChargeFrequency MUST NOT be "Usage-Based" when ChargeCategory is "Purchase"', broken: (row) => fail(row.ChargeCategory === 'Purchase' && row.ChargeFrequency === 'Usage-Based', 'a usage-based purchase') },
  { spec: 'columns/contractedcost.md', requirement: 'ContractedCost of a charge unrelated to other charges MUST match the BilledCost when ContractedUnitPrice is null', broken: (row) => fail(!sameDecimal(row.ContractedCost, row.BilledCost), `${row.ContractedCost} ≠ ${row.BilledCost}`) },
  { spec: 'columns/listcost.md', requirement: 'ListCost of a charge unrelated to other charges MUST match the BilledCost when ListUnitPrice is null', broken: (row) => fail(!sameDecimal(row.ListCost, row.BilledCost), `${row.ListCost} ≠ ${row.BilledCost}`) },
  { spec: 'columns/effectivecost.md', requirement: 'EffectiveCost of a Usage charge without commitment discounts is its BilledCost (no amortization to spread)', broken: (row) => fail(isUsage(row) && !sameDecimal(row.EffectiveCost, row.BilledCost), `${row.EffectiveCost} ≠ ${row.BilledCost}`) },
  { spec: 'columns/pricingquantity.md', requirement: 'PricingQuantity MUST NOT be null when ChargeCategory is "Usage" or "Purchase" and ChargeClass is not "Correction"', broken: (row) => fail(['Usage', 'Purchase'].includes(row.ChargeCategory ?? '') && !isCorrection(row) && row.PricingQuantity === null, 'null') },
  { spec: 'columns/pricingquantity.md', requirement: 'PricingQuantity MUST be a valid decimal value (NumericFormat) when not null', broken: (row) => fail(row.PricingQuantity !== null && !NUMERIC_FORMAT.test(row.PricingQuantity), JSON.stringify(row.PricingQuantity)) },
  { spec: 'columns/pricingunit.md', requirement: 'PricingUnit MUST be null when PricingQuantity is null, and MUST NOT be null when it is not', broken: (row) => fail((row.PricingUnit === null) !== (row.PricingQuantity === null), `${row.PricingQuantity} ${row.PricingUnit}`) },
  { spec: 'columns/pricingunit.md', requirement: 'PricingUnit SHOULD conform to UnitFormat requirements (attributes/unit_format.md)', broken: (row) => fail(row.PricingUnit !== null && !UNIT_FORMAT.test(row.PricingUnit), JSON.stringify(row.PricingUnit)) },
  { spec: 'columns/consumedquantity.md', requirement: 'ConsumedQuantity MUST NOT be null when ChargeCategory is "Usage" and ChargeClass is not "Correction", and MUST be null when ChargeCategory is not "Usage"', broken: (row) => fail(isUsage(row) ? !isCorrection(row) && row.ConsumedQuantity === null : row.ConsumedQuantity !== null, JSON.stringify(row.ConsumedQuantity)) },
  { spec: 'columns/consumedquantity.md', requirement: 'ConsumedQuantity MUST be a valid decimal value when not null', broken: (row) => fail(row.ConsumedQuantity !== null && !NUMERIC_FORMAT.test(row.ConsumedQuantity), JSON.stringify(row.ConsumedQuantity)) },
  { spec: 'columns/consumedunit.md', requirement: 'ConsumedUnit MUST be null when ConsumedQuantity is null, and MUST NOT be null when it is not', broken: (row) => fail((row.ConsumedUnit === null) !== (row.ConsumedQuantity === null), `${row.ConsumedQuantity} ${row.ConsumedUnit}`) },
  { spec: 'columns/consumedunit.md', requirement: 'ConsumedUnit SHOULD conform to UnitFormat requirements (attributes/unit_format.md)', broken: (row) => fail(row.ConsumedUnit !== null && !UNIT_FORMAT.test(row.ConsumedUnit), JSON.stringify(row.ConsumedUnit)) },
  { spec: 'columns/servicecategory.md', requirement: 'ServiceCategory MUST be one of the allowed values ("AI and Machine Learning" for every AgentLedger charge)', broken: (row) => fail(!SERVICE_CATEGORIES.includes(row.ServiceCategory ?? '') || row.ServiceCategory !== 'AI and Machine Learning', JSON.stringify(row.ServiceCategory)) },
  { spec: 'columns/servicesubcategory.md', requirement: 'ServiceSubcategory MUST be one of the allowed values, and have one and only one parent ServiceCategory', broken: (row) => fail(row.ServiceCategory !== 'AI and Machine Learning' || !AI_SUBCATEGORIES.includes(row.ServiceSubcategory ?? ''), `${row.ServiceCategory} / ${row.ServiceSubcategory}`) },
  { spec: 'columns/skuid.md', requirement: 'SkuId MUST NOT be null when ChargeCategory is "Usage" or "Purchase" and ChargeClass is not "Correction"', broken: (row) => fail(['Usage', 'Purchase'].includes(row.ChargeCategory ?? '') && !isCorrection(row) && !row.SkuId, 'null') },
  { spec: 'columns/skuid.md', requirement: 'SkuId MUST remain consistent across billing accounts (it never names the account)', broken: (row) => fail(row.SkuId !== null && row.BillingAccountId !== null && row.SkuId.split('/').includes(row.BillingAccountId), `${row.SkuId} names ${row.BillingAccountId}`) },
  { spec: 'columns/resourceid.md', requirement: 'ResourceId MUST NOT be null when a charge is related to a resource (the agent), and MUST be null when it is not', broken: (row) => fail((row.ResourceId ?? null) !== (row.x_AgentId ?? null), `${row.ResourceId} for agent ${row.x_AgentId}`) },
  { spec: 'columns/resourcename.md', requirement: 'ResourceName MUST be null when ResourceId is null', broken: (row) => fail(row.ResourceId === null && row.ResourceName !== null, JSON.stringify(row.ResourceName)) },
  { spec: 'columns/resourcetype.md', requirement: 'ResourceType MUST be null when ResourceId is null, and MUST NOT be null when it is not', broken: (row) => fail((row.ResourceType === null) !== (row.ResourceId === null), `${row.ResourceId} ${row.ResourceType}`) },
  { spec: 'columns/subaccountid.md', requirement: 'SubAccountId MUST NOT be null when a charge is related to a sub account (the team), and MUST be null when it is not', broken: (row) => fail((row.SubAccountId ?? null) !== (row.x_Team ?? null), `${row.SubAccountId} for team ${row.x_Team}`) },
  { spec: 'columns/subaccountname.md', requirement: 'SubAccountName MUST be null when SubAccountId is null, and MUST NOT be null when it is not', broken: (row) => fail((row.SubAccountName === null) !== (row.SubAccountId === null), `${row.SubAccountId} ${row.SubAccountName}`) },
  {
    spec: 'attributes/key_value_format.md',
    requirement: 'Tags MUST contain a serialized JSON object, keys unique, values a number, string, true, false or null (never an object or an array)',
    broken: (row) => {
      if (row.Tags === null) return undefined;
      let tags: unknown;
      try {
        tags = JSON.parse(row.Tags);
      } catch {
        return `not JSON: ${row.Tags}`;
      }
      if (typeof tags !== 'object' || tags === null || Array.isArray(tags)) return `not an object: ${row.Tags}`;
      // A repeated key would be lost by parsing: the object written again is the text only when none was.
      if (JSON.stringify(tags) !== row.Tags) return `repeated keys or not canonical: ${row.Tags}`;
      const nested = Object.entries(tags).find(([, value]) => typeof value === 'object' && value !== null);
      return nested ? `${nested[0]} holds an object or array` : undefined;
    },
  },
  {
    spec: 'attributes/null_handling.md',
    requirement: 'Columns MUST NOT use empty strings or placeholder values to represent a null (custom x_ columns too)',
    broken: (row) => {
      const empty = Object.entries(row).find(([, value]) => value !== null && value.trim() === '');
      return empty ? `${empty[0]} is ${JSON.stringify(empty[1])}` : undefined;
    },
  },
];

export const DATASET_RULES: readonly DatasetRule[] = [
  ...MANDATORY_COLUMNS.map(([column, file]) => ({
    spec: `columns/${file}`,
    requirement: `${column} MUST be present in a FOCUS dataset`,
    broken: (columns: readonly string[]) => fail(!columns.includes(column), `${column} missing`),
  })),
  ...CONDITIONAL_COLUMNS.map(([column, file, condition]) => ({
    spec: `columns/${file}`,
    requirement: `${column} MUST be present in a FOCUS dataset ${condition}`,
    broken: (columns: readonly string[]) => fail(!columns.includes(column), `${column} missing`),
  })),
  {
    spec: 'attributes/column_handling.md',
    requirement: 'Column IDs MUST use Pascal case and be alphanumeric; custom columns MUST be prefixed with a consistent x_ prefix',
    broken: (columns) => {
      const bad = columns.find((column) => !/^(x_)?[A-Z][A-Za-z0-9]*$/.test(column));
      return bad ? `${bad}` : undefined;
    },
  },
  {
    spec: 'attributes/column_handling.md',
    requirement: 'All FOCUS columns SHOULD be first; custom columns SHOULD be listed after them and SHOULD NOT be intermixed',
    broken: (columns) => {
      const firstCustom = columns.findIndex((column) => column.startsWith('x_'));
      const late = firstCustom < 0 ? undefined : columns.slice(firstCustom).find((column) => !column.startsWith('x_'));
      return late ? `${late} after a custom column` : undefined;
    },
  },
  {
    spec: 'columns/servicename.md',
    requirement: 'ServiceName MUST have one and only one ServiceCategory',
    broken: (_columns, rows) => {
      const categories = new Map<string, Set<string>>();
      for (const row of rows) categories.set(row.ServiceName ?? '', (categories.get(row.ServiceName ?? '') ?? new Set()).add(row.ServiceCategory ?? ''));
      const many = [...categories].find(([, found]) => found.size > 1);
      return many ? `${many[0]}: ${[...many[1]].join(', ')}` : undefined;
    },
  },
  {
    spec: 'columns/billingcurrency.md',
    requirement: 'BillingCurrency MUST match the currency used in the invoice: one currency for the tenant',
    broken: (_columns, rows) => fail(new Set(rows.map((row) => row.BillingCurrency)).size > 1, 'several currencies'),
  },
];

/** Each rule's name as a test names it: the specification file, then the requirement. */
export const ruleName = (rule: RowRule | DatasetRule) => `${rule.spec}: ${rule.requirement}`;

/** The rows breaking a rule, with why, for a readable failure. */
export function breaches(rule: RowRule, rows: readonly FocusRow[]): string[] {
  return rows.flatMap((row) => {
    const reason = rule.broken(row);
    return reason === undefined ? [] : [`${row.x_EventId ?? '?'}: ${reason}`];
  });
}
