import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { BudgetView } from '@agentledger/contracts';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'A spending limit and how much of it is used in the current period.' })
export class Budget implements BudgetView {
  @Field(() => ID) id!: string;
  @Field(() => DecimalScalar) limit!: string;
  @Field(() => DecimalScalar) spent!: string;
  @Field(() => DecimalScalar) remaining!: string;
  @Field(() => String) status!: string;
}
