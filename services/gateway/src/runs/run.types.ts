import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'One step of a run: an LLM call, a tool call, …' })
export class Span {
  @Field(() => ID) spanId!: string;
  @Field(() => ID, { nullable: true }) parentSpanId?: string | null;
  @Field(() => String) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => DecimalScalar) cost!: string;
  @Field(() => Int, { description: '1 for a first try.' }) attempt!: number;
}

@ObjectType({ description: 'One run of an agent (one trace) with the cost of each step.' })
export class Run {
  @Field(() => ID) traceId!: string;
  @Field(() => String) agentId!: string;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => [Span]) spans!: Span[];
}
