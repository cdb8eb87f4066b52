import { Field, InputType, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@InputType({ description: "A tenant's price for a model, in USD per million tokens (and per request)." })
export class PriceInput {
  @Field(() => String) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => DecimalScalar) inputPer1M!: string;
  @Field(() => DecimalScalar) outputPer1M!: string;
  @Field(() => DecimalScalar, { nullable: true }) cacheReadPer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) cacheWritePer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) reasoningPer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) requestFee?: string | null;
  @Field(() => DateTimeScalar) effectiveFrom!: Date;
}

@ObjectType({ description: "A tenant's price for a model from effectiveFrom on." })
export class Price {
  @Field(() => String) provider!: string;
  @Field(() => String) model!: string;
  @Field(() => DecimalScalar) inputPer1M!: string;
  @Field(() => DecimalScalar) outputPer1M!: string;
  @Field(() => DecimalScalar, { nullable: true }) cacheReadPer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) cacheWritePer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) reasoningPer1M?: string | null;
  @Field(() => DecimalScalar, { nullable: true }) requestFee?: string | null;
  @Field(() => DateTimeScalar) effectiveFrom!: string;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When a later price took over; null while current.' })
  effectiveTo?: string | null;
}
