import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import type { RunEvaluationView, RunSummaryView, RunView, SpanView } from '@agentledger/contracts';
import { Agent } from '../agents/agent.types.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'One step of a run: an LLM call, a tool call, …' })
export class Span implements SpanView {
  @Field(() => ID) spanId!: string;
  @Field(() => ID, { nullable: true }) parentSpanId!: string | null;
  @Field(() => String) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => DecimalScalar, { description: 'The cost of this step alone.' }) cost!: string;
  @Field(() => DecimalScalar, { description: 'This step and every step below it.' }) totalCost!: string;
  @Field(() => Int, { description: '1 for a first try.' }) attempt!: number;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => String, { nullable: true }) model!: string | null;
  @Field(() => String, { nullable: true }) tool!: string | null;
  @Field(() => Int, { nullable: true }) latencyMs!: number | null;
  @Field(() => String, { nullable: true, description: 'The model tried before this one.' }) escalatedFrom!: string | null;
}

@ObjectType({ description: 'An evaluation of a run (evaluation.scored with its traceId).' })
export class RunEvaluation implements RunEvaluationView {
  @Field(() => String) evaluator!: string;
  @Field(() => String) metric!: string;
  @Field(() => Float) score!: number;
  @Field(() => Boolean, { nullable: true }) passed!: boolean | null;
  @Field(() => ID, { nullable: true, description: 'The step judged, when the event named one (its spanId).' }) spanId!: string | null;
  @Field(() => DateTimeScalar) time!: string;
}

@ObjectType({ description: 'One run of an agent (one trace) with the cost of each step.' })
export class Run implements RunView {
  @Field(() => ID) traceId!: string;
  @Field(() => String) agentId!: string;
  @Field(() => String, { nullable: true }) team!: string;
  @Field(() => String, { nullable: true }) workflow!: string;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) startedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) finishedAt!: string | null;
  @Field(() => [Span]) spans!: Span[];
  @Field(() => [RunEvaluation], { description: 'Its evaluations, in time order.' }) evaluations!: RunEvaluation[];
  @Field(() => Agent, { nullable: true, description: 'The agent as the inventory knows it.' }) agent?: Agent | null;
}

@ObjectType({ description: 'A run as listed: its cost and how it ended.' })
export class RunSummary implements RunSummaryView {
  @Field(() => ID) traceId!: string;
  @Field(() => String) agentId!: string;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => DateTimeScalar) startedAt!: string;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => String, { nullable: true, description: 'The outcome recorded for the run, if any.' }) outcome!: string | null;
  @Field(() => Boolean, { nullable: true }) success!: boolean | null;
  @Field(() => Agent, { nullable: true, description: 'The agent as the inventory knows it.' }) agent?: Agent | null;
}

@ObjectType({ description: 'Where a page of a list ends.' })
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' }) endCursor?: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType({ description: 'One page of runs, newest first.' })
export class RunConnection {
  @Field(() => [RunSummary]) nodes!: RunSummary[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
