import { Field, ID, ObjectType } from '@nestjs/graphql';
import type { PausedScopeView } from '@agentledger/contracts';
import { BudgetScope } from '../budgets/budget.types.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';

@ObjectType({ description: 'A scope whose pre-call checks are answered BLOCK until it is resumed (or, for a budget’s own pause, until its period ends or its limit is raised).' })
export class PausedScope implements PausedScopeView {
  @Field(() => BudgetScope) scope!: string;
  @Field(() => String, { nullable: true, description: 'Null for the tenant scope' }) scopeId!: string | null;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: 'Who paused it' }) by!: string;
  @Field(() => ID, { nullable: true, description: 'The BLOCK budget whose breach paused the scope; null for a pause by hand' }) budgetId!: string | null;
  @Field(() => DateTimeScalar) pausedAt!: string;
}
