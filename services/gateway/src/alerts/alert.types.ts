import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { AlertView } from '@agentledger/contracts';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'An alert, raised once: a budget threshold reached in a period (BUDGET_THRESHOLD, BUDGET_EXCEEDED at 100 %), an anomaly (SPEND_ANOMALY, RETRY_STORM), or an unregistered agent seen for the first time (AGENT_DISCOVERED, agentId set).' })
export class Alert implements AlertView {
  @Field(() => ID) id!: string;
  @Field(() => String) kind!: string;
  @Field(() => ID, { nullable: true }) budgetId!: string | null;
  @Field(() => Int, { nullable: true, description: 'Percent of the limit' }) threshold!: number | null;
  @Field(() => String, { nullable: true }) agentId!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'The period’s spend when it was raised' }) spent!: string | null;
  @Field(() => DecimalScalar, { nullable: true }) limit!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) periodStart!: string | null;
  @Field(() => String) message!: string;
  @Field(() => DateTimeScalar) at!: string;
}
