import { Field, ObjectType } from '@nestjs/graphql';
import type { DeadLetterView } from '@agentledger/contracts';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';

@ObjectType({ description: 'An event that was rejected, with the reason.' })
export class DeadLetter implements DeadLetterView {
  @Field(() => String) reason!: string;
  @Field(() => String) subject!: string;
  @Field(() => DateTimeScalar) receivedAt!: string;
  @Field(() => String, { nullable: true, description: 'The service that rejected it.' }) service!: string;
}
