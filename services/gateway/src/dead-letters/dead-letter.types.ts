import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { DeadLetterView, RedriveRejectionView, RedriveReportView } from '@agentledger/contracts';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';

@ObjectType({ description: 'An event that was rejected, with the reason.' })
export class DeadLetter implements DeadLetterView {
  @Field(() => ID, { description: 'What redriveDeadLetters(selection: { ids }) names.' }) id!: string;
  @Field(() => String) reason!: string;
  @Field(() => String) subject!: string;
  @Field(() => DateTimeScalar) receivedAt!: string;
  @Field(() => String, { nullable: true, description: 'The service that rejected it.' }) service!: string;
}

@InputType({ description: 'Dead letters to redrive: by ids, or by a window of receipt [from, to) narrowed by reason (a substring) and subject (exact). At most 1,000 per call.' })
export class DeadLetterSelection {
  @Field(() => [ID], { nullable: true }) ids?: string[] | null;
  @Field(() => DateTimeScalar, { nullable: true }) from?: Date | null;
  @Field(() => DateTimeScalar, { nullable: true }) to?: Date | null;
  @Field(() => String, { nullable: true }) reason?: string | null;
  @Field(() => String, { nullable: true }) subject?: string | null;
}

@ObjectType({ description: 'A dead letter rejected again by a redrive, and why.' })
export class RedriveRejection implements RedriveRejectionView {
  @Field(() => ID) id!: string;
  @Field(() => String) reason!: string;
}

@ObjectType({ description: 'What a redrive did: each selected dead letter is redriven, rejected again, or already counted.' })
export class RedriveReport implements RedriveReportView {
  @Field(() => Int) selected!: number;
  @Field(() => Int, { description: 'Counted now, for the first time.' }) redriven!: number;
  @Field(() => Int, { description: 'Still invalid; the reasons are in rejections.' }) rejected!: number;
  @Field(() => Int, { description: 'Valid, but the event (tenant, source, id) was already counted: nothing changed.' }) alreadyCounted!: number;
  @Field(() => [RedriveRejection]) rejections!: RedriveRejection[];
}
