import { readFileSync } from 'node:fs';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';
import { buildGatewaySchema, printGatewaySchema } from './schema.js';

// CONTRACT.md part B, verbatim: every name and nullability here must exist unchanged.
const CONTRACT = `
scalar DateTime
scalar Decimal
enum CostDimension { AGENT TEAM WORKFLOW MODEL PROVIDER ENVIRONMENT TOOL }
enum TimeBucket { HOUR DAY }
input CostFilter { agentId: String team: String workflow: String model: String environment: String }

type Query {
  costSummary(from: DateTime!, to: DateTime!, filter: CostFilter): CostSummary!
  costBreakdown(from: DateTime!, to: DateTime!, by: CostDimension!, filter: CostFilter): [CostGroup!]!
  spendOverTime(from: DateTime!, to: DateTime!, bucket: TimeBucket!, by: CostDimension, filter: CostFilter): [SpendPoint!]!
  outcomeEconomics(from: DateTime!, to: DateTime!, by: CostDimension!): [OutcomeEconomics!]!
  run(traceId: ID!): Run
  agents: [Agent!]!
  budgets: [Budget!]!
  deadLetters(from: DateTime!, to: DateTime!): [DeadLetter!]!
}
type CostSummary { totalCost: Decimal! llmCalls: Int! toolCalls: Int! inputTokens: Int! outputTokens: Int!
  cacheReadTokens: Int! cacheWriteTokens: Int! reasoningTokens: Int! retries: Int! retryCost: Decimal!
  escalations: Int! escalationCost: Decimal! unpricedCalls: Int! }
type CostGroup { key: String! totalCost: Decimal! llmCalls: Int! inputTokens: Int! outputTokens: Int! }
type SpendPoint { bucketStart: DateTime! key: String totalCost: Decimal! }
type OutcomeEconomics { key: String! outcome: String! successes: Int! totalCost: Decimal! costPerOutcome: Decimal
  value: Decimal! timeSavedMinutes: Float! }
type Run { traceId: ID! agentId: String! totalCost: Decimal! status: String spans: [Span!]! }
type Span { spanId: ID! parentSpanId: ID kind: String! name: String! cost: Decimal! attempt: Int! }
type Agent { id: String! team: String platform: String lifecycle: String firstSeen: DateTime lastSeen: DateTime }
type Budget { id: ID! limit: Decimal! spent: Decimal! remaining: Decimal! status: String! }
type DeadLetter { reason: String! subject: String! receivedAt: DateTime! }

input PriceInput { provider: String! model: String! inputPer1M: Decimal! outputPer1M: Decimal!
  cacheReadPer1M: Decimal cacheWritePer1M: Decimal reasoningPer1M: Decimal requestFee: Decimal
  effectiveFrom: DateTime! }
type Price { provider: String! model: String! inputPer1M: Decimal! outputPer1M: Decimal! effectiveFrom: DateTime! }
type Mutation { setPrice(input: PriceInput!): Price! }
`;

// CONTRACT.md part D, verbatim for budgets, alerts and pauses (its extensions written as the root types).
const CONTRACT_D = `
scalar DateTime
scalar Decimal
enum BudgetScope { TENANT TEAM AGENT WORKFLOW ENVIRONMENT }
enum BudgetPeriod { DAY WEEK MONTH }
enum Enforcement { ALERT BLOCK }
input BudgetInput { id: ID name: String scope: BudgetScope! scopeId: String period: BudgetPeriod!
  limit: Decimal! thresholds: [Int!] enforcement: Enforcement timeZone: String webhookUrl: String }
type Budget { id: ID! name: String scope: BudgetScope! scopeId: String period: BudgetPeriod!
  limit: Decimal! thresholds: [Int!]! enforcement: Enforcement! timeZone: String!
  periodStart: DateTime! periodEnd: DateTime! spent: Decimal! reserved: Decimal! remaining: Decimal!
  status: String! forecast: Decimal projectedBreachAt: DateTime }
type Alert { id: ID! kind: String! budgetId: ID threshold: Int agentId: String spent: Decimal
  limit: Decimal periodStart: DateTime message: String! at: DateTime! }
type PausedScope { scope: BudgetScope! scopeId: String reason: String! by: String! budgetId: ID pausedAt: DateTime! }
type Query { budgets: [Budget!]! budget(id: ID!): Budget alerts(from: DateTime!, to: DateTime!): [Alert!]!
  pausedScopes: [PausedScope!]! }
type Mutation { setBudget(input: BudgetInput!): Budget! deleteBudget(id: ID!): Boolean!
  pause(scope: BudgetScope!, scopeId: String, reason: String!): PausedScope!
  resume(scope: BudgetScope!, scopeId: String): Boolean! }
type Subscription { alerts: Alert! }
`;

// CONTRACT.md part D, verbatim for the inventory (its extensions written as the root types).
const CONTRACT_D_INVENTORY = `
scalar DateTime
enum AgentStatus { ACTIVE IDLE RETIRED }
input AgentInput { id: String! name: String team: String owner: String platform: String vendor: String
  workflows: [String!] description: String lifecycle: String }
input AgentFilter { status: AgentStatus platform: String team: String lifecycle: String registered: Boolean }
type Agent { id: String! name: String team: String owner: String platform: String vendor: String
  lifecycle: String description: String workflows: [String!]! registered: Boolean!
  status: AgentStatus! firstSeen: DateTime lastSeen: DateTime models: [String!]! tools: [String!]! }
type AgentOverlap { workflow: String! agents: [String!]! teams: [String!]! }
type Query { agents(filter: AgentFilter): [Agent!]! agent(id: String!): Agent agentOverlaps: [AgentOverlap!]! }
type Mutation { registerAgent(input: AgentInput!): Agent! }
`;

const signature = (args: readonly GraphQLArgument[]) => Object.fromEntries(args.map((arg) => [arg.name, String(arg.type)]));

/** Where `actual` differs from `contract`: anything missing or typed differently, or a new required argument or input field. */
function contractViolations(contract: GraphQLSchema, actual: GraphQLSchema): string[] {
  const violations: string[] = [];
  for (const expected of Object.values(contract.getTypeMap())) {
    if (expected.name.startsWith('__')) continue;
    const found = actual.getType(expected.name);
    if (!found || found.constructor !== expected.constructor) {
      violations.push(`${expected.name}: missing or of another kind`);
      continue;
    }
    if (isEnumType(expected) && isEnumType(found)) {
      for (const value of expected.getValues()) if (!found.getValue(value.name)) violations.push(`${expected.name}.${value.name}: missing`);
    }
    if ((isObjectType(expected) && isObjectType(found)) || (isInputObjectType(expected) && isInputObjectType(found))) {
      const foundFields = found.getFields();
      for (const [name, field] of Object.entries(expected.getFields())) {
        const actualField = foundFields[name];
        if (!actualField) {
          violations.push(`${expected.name}.${name}: missing`);
          continue;
        }
        if (String(actualField.type) !== String(field.type)) violations.push(`${expected.name}.${name}: ${String(actualField.type)} instead of ${String(field.type)}`);
        if ('args' in field && 'args' in actualField) {
          const expectedArgs = signature(field.args);
          const actualArgs = signature(actualField.args);
          for (const [arg, type] of Object.entries(expectedArgs)) {
            if (actualArgs[arg] !== type) violations.push(`${expected.name}.${name}(${arg}): ${actualArgs[arg] ?? 'missing'} instead of ${type}`);
          }
          for (const arg of actualField.args) {
            if (!(arg.name in expectedArgs) && isNonNullType(arg.type)) violations.push(`${expected.name}.${name}(${arg.name}): a new required argument`);
          }
        }
      }
      if (isInputObjectType(found)) {
        for (const field of Object.values(found.getFields())) {
          if (!(field.name in expected.getFields()) && isNonNullType(field.type)) violations.push(`${expected.name}.${field.name}: a new required input field`);
        }
      }
    }
  }
  return violations;
}

describe('the GraphQL schema', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  it('has every type, field, argument and enum value of CONTRACT.md part B, unchanged', () => {
    expect(contractViolations(buildSchema(CONTRACT), schema)).toEqual([]);
  });

  it('has every type, field and argument of CONTRACT.md part D for budgets, alerts and pauses, unchanged', () => {
    expect(contractViolations(buildSchema(CONTRACT_D), schema)).toEqual([]);
  });

  it('has every type, field and argument of CONTRACT.md part D for the inventory, unchanged', () => {
    expect(contractViolations(buildSchema(CONTRACT_D_INVENTORY), schema)).toEqual([]);
  });

  it('would catch a renamed field or a changed nullability', () => {
    const drifted = buildSchema(CONTRACT.replace('costPerOutcome: Decimal', 'costPerOutcome: Decimal!').replace('retries: Int!', 'retryCount: Int!'));
    expect(contractViolations(buildSchema(CONTRACT), drifted)).toEqual([
      'CostSummary.retries: missing',
      'OutcomeEconomics.costPerOutcome: Decimal! instead of Decimal',
    ]);
  });

  it('is the one committed as schema.graphql (regenerate with `npm run schema`)', () => {
    const committed = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    expect(printGatewaySchema(schema)).toBe(committed);
  });
});
