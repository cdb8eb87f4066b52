import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';

@ObjectType({ description: 'An agent seen in events or registered.' })
export class Agent {
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true, description: 'As registered.' }) name?: string | null;
  @Field(() => String, { nullable: true }) owner?: string | null;
  @Field(() => String, { nullable: true }) team?: string | null;
  @Field(() => String, { nullable: true, description: 'internal or saas.' }) platform?: string | null;
  @Field(() => String, { nullable: true, description: 'The SaaS vendor of a saas agent.' }) vendor?: string | null;
  @Field(() => String, { nullable: true, description: 'experiment, staging, production or retired.' }) lifecycle?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) firstSeen?: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastSeen?: string | null;
}
