import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'Spend just applied to one minute of event time: add it to what you have for that minute.' })
export class SpendTick {
  @Field(() => DateTimeScalar, { description: 'The minute (event time, UTC) the spend belongs to.' }) minute!: string;
  @Field(() => DecimalScalar, { description: 'The spend added to that minute by the latest applied batch.' }) totalCost!: string;
}
