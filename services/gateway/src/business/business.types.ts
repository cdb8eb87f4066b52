import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { AgentEfficiencyView, WasteView } from '@agentledger/contracts';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'What a group spent on runs that ended without a successful outcome.' })
export class Waste implements WasteView {
  @Field(() => String) key!: string;
  @Field(() => Int) runs!: number;
  @Field(() => Int) unsuccessfulRuns!: number;
  @Field(() => DecimalScalar, { description: 'The cost of the unsuccessful runs.' }) wastedCost!: string;
  @Field(() => DecimalScalar) totalCost!: string;
}

@ObjectType({ description: 'An agent’s share of the cost next to its share of the successful outcomes.' })
export class AgentEfficiency implements AgentEfficiencyView {
  @Field(() => String) agentId!: string;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => DecimalScalar, { description: 'Of the tenant’s cost in the window, 0 to 1.' }) shareOfCost!: string;
  @Field(() => Int) successes!: number;
  @Field(() => DecimalScalar, { description: 'Of the tenant’s successful outcomes in the window, 0 to 1.' }) shareOfSuccesses!: string;
  @Field(() => DecimalScalar) value!: string;
  @Field(() => DecimalScalar, { nullable: true }) costPerOutcome!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'value / totalCost.' }) roi!: string | null;
}
