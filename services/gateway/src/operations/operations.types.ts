import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import type { EvaluationSummaryView, ModelLatencyView, OperationalSummaryView, RoutingDecisionView } from '@agentledger/contracts';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'Latency of one model’s calls.' })
export class ModelLatency implements ModelLatencyView {
  @Field(() => String) model!: string;
  @Field(() => Int) calls!: number;
  @Field(() => Float, { nullable: true, description: 'Null when no call reported its latency; interpolated, so it may be fractional.' }) p50Ms!: number | null;
  @Field(() => Float, { nullable: true }) p95Ms!: number | null;
}

@ObjectType({ description: 'How calls went in a window: retries, escalations, errors, latency.' })
export class OperationalSummary implements OperationalSummaryView {
  @Field(() => Int, { description: 'LLM and tool calls.' }) calls!: number;
  @Field(() => Int, { description: 'Calls with attempt > 1.' }) retries!: number;
  @Field(() => DecimalScalar, { description: 'retries / calls.' }) retryRate!: string;
  @Field(() => DecimalScalar) retryCost!: string;
  @Field(() => Int, { description: 'Calls with escalatedFrom set.' }) escalations!: number;
  @Field(() => DecimalScalar, { description: 'escalations / calls.' }) escalationRate!: string;
  @Field(() => DecimalScalar) escalationCost!: string;
  @Field(() => Int, { description: 'Calls whose status was not ok.' }) errors!: number;
  @Field(() => DecimalScalar, { description: 'errors / calls.' }) errorRate!: string;
  @Field(() => [ModelLatency]) latencyByModel!: ModelLatency[];
}

@ObjectType({ description: 'How often a router made one decision, and what those calls cost.' })
export class RoutingDecision implements RoutingDecisionView {
  @Field(() => String) router!: string;
  @Field(() => String) decision!: string;
  @Field(() => Int) count!: number;
  @Field(() => DecimalScalar) totalCost!: string;
}

@ObjectType({ description: 'Scores of one evaluator and metric for a group, and the cost per passing run.' })
export class EvaluationSummary implements EvaluationSummaryView {
  @Field(() => String) key!: string;
  @Field(() => String) evaluator!: string;
  @Field(() => String) metric!: string;
  @Field(() => Int) count!: number;
  @Field(() => Int) passed!: number;
  @Field(() => Float, { description: 'Scores are numbers (CONTRACT part A), so is their mean.' }) averageScore!: number;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'totalCost / passed; null when none passed.' }) costPerPassing!: string | null;
}
