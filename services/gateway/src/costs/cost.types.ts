import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { AttributeGroupView, CostFilterArgs, CostGroupView, CostSummaryView, OutcomeEconomicsView, SpendPointView } from '@agentledger/contracts';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';
import { BigIntScalar } from '../graphql/scalars/big-int.scalar.js';
import { int32Field } from './token-totals.js';

const exactly = (field: string) => ({
  middleware: [int32Field(field)],
  description: `Up to 2147483647 (GraphQL Int); past it an OUT_OF_RANGE error names ${field}, which holds any size.`,
});
const bounded = { middleware: [int32Field()] };
const exact = (what: string) => ({ description: `${what}, exact and of any size (the Int field stops at 2147483647).` });

// Enum values travel to the services as their GraphQL names (AGENT, DAY).
export enum CostDimension {
  AGENT = 'AGENT',
  TEAM = 'TEAM',
  WORKFLOW = 'WORKFLOW',
  MODEL = 'MODEL',
  PROVIDER = 'PROVIDER',
  ENVIRONMENT = 'ENVIRONMENT',
  TOOL = 'TOOL',
}
registerEnumType(CostDimension, { name: 'CostDimension', description: 'What costs are grouped by.' });

export enum TimeBucket {
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(TimeBucket, { name: 'TimeBucket', description: 'The width of a time series point (UTC).' });

@InputType({ description: 'Narrows costs to events matching every field given.' })
export class CostFilter implements CostFilterArgs {
  @Field(() => String, { nullable: true }) agentId?: string | null;
  @Field(() => String, { nullable: true }) team?: string | null;
  @Field(() => String, { nullable: true }) workflow?: string | null;
  @Field(() => String, { nullable: true }) model?: string | null;
  @Field(() => String, { nullable: true }) environment?: string | null;
}

@ObjectType({ description: 'Costs and usage of a window.' })
export class CostSummary implements CostSummaryView {
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => Int, bounded) llmCalls!: number;
  @Field(() => Int, bounded) toolCalls!: number;
  @Field(() => Int, exactly('inputTokensTotal')) inputTokens!: number;
  @Field(() => Int, exactly('outputTokensTotal')) outputTokens!: number;
  @Field(() => Int, exactly('cacheReadTokensTotal')) cacheReadTokens!: number;
  @Field(() => Int, exactly('cacheWriteTokensTotal')) cacheWriteTokens!: number;
  @Field(() => Int, exactly('reasoningTokensTotal')) reasoningTokens!: number;
  @Field(() => Int, bounded) retries!: number;
  @Field(() => DecimalScalar) retryCost!: string;
  @Field(() => Int, bounded) escalations!: number;
  @Field(() => DecimalScalar) escalationCost!: string;
  @Field(() => Int, { ...bounded, description: 'Calls no price was found for; their cost is not invented.' }) unpricedCalls!: number;
  @Field(() => BigIntScalar, exact('inputTokens')) inputTokensTotal!: string;
  @Field(() => BigIntScalar, exact('outputTokens')) outputTokensTotal!: string;
  @Field(() => BigIntScalar, exact('cacheReadTokens')) cacheReadTokensTotal!: string;
  @Field(() => BigIntScalar, exact('cacheWriteTokens')) cacheWriteTokensTotal!: string;
  @Field(() => BigIntScalar, exact('reasoningTokens')) reasoningTokensTotal!: string;
}

@ObjectType({ description: 'The costs of one group (one agent, one model, …).' })
export class CostGroup implements AttributeGroupView, Partial<CostGroupView> {
  @Field(() => String) key!: string;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => Int, bounded) llmCalls!: number;
  @Field(() => Int, exactly('inputTokensTotal')) inputTokens!: number;
  @Field(() => Int, exactly('outputTokensTotal')) outputTokens!: number;
  @Field(() => BigIntScalar, exact('inputTokens')) inputTokensTotal!: string;
  @Field(() => BigIntScalar, exact('outputTokens')) outputTokensTotal!: string;
  @Field(() => Int, { nullable: true }) toolCalls!: number;
  @Field(() => Int, { nullable: true, description: 'Calls with attempt > 1.' }) retries?: number;
  @Field(() => DecimalScalar, { nullable: true }) retryCost?: string;
  @Field(() => Int, { nullable: true, description: 'Calls with escalatedFrom set.' }) escalations?: number;
  @Field(() => DecimalScalar, { nullable: true }) escalationCost?: string;
  @Field(() => Int, { nullable: true }) unpricedCalls?: number;
}

@ObjectType({ description: 'Spend of one time bucket, for one group when grouped.' })
export class SpendPoint implements SpendPointView {
  @Field(() => DateTimeScalar) bucketStart!: string;
  @Field(() => String, { nullable: true, description: 'The group; null when not grouped.' }) key!: string | null;
  @Field(() => DecimalScalar) totalCost!: string;
}

@ObjectType({ description: 'What a group spent per outcome of one kind.' })
export class OutcomeEconomics implements OutcomeEconomicsView {
  @Field(() => String) key!: string;
  @Field(() => String) outcome!: string;
  @Field(() => Int) successes!: number;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => DecimalScalar, { nullable: true, description: "The group's whole cost divided by its successes; null without any." })
  costPerOutcome!: string | null;
  @Field(() => DecimalScalar) value!: string;
  @Field(() => Float) timeSavedMinutes!: number;
  @Field(() => DecimalScalar, { nullable: true, description: 'value / totalCost; null when nothing was spent.' }) roi!: string | null;
}
