import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { BudgetView } from '@agentledger/contracts';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

// Enum values travel to budgeting as their GraphQL names.
export enum BudgetScope {
  TENANT = 'TENANT',
  TEAM = 'TEAM',
  AGENT = 'AGENT',
  WORKFLOW = 'WORKFLOW',
  ENVIRONMENT = 'ENVIRONMENT',
}
registerEnumType(BudgetScope, { name: 'BudgetScope', description: 'Whose spend a budget holds: the whole tenant, or one team, agent, workflow or environment.' });

export enum BudgetPeriod {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(BudgetPeriod, { name: 'BudgetPeriod', description: "A budget's period in its time zone: DAY from 00:00, WEEK from Monday 00:00, MONTH from the 1st 00:00." });

export enum Enforcement {
  ALERT = 'ALERT',
  BLOCK = 'BLOCK',
}
registerEnumType(Enforcement, { name: 'Enforcement', description: 'ALERT only raises alerts; BLOCK also refuses pre-call checks once the limit is reached.' });

@InputType({ description: 'A budget: without id a new one, with id that budget replaced.' })
export class BudgetInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => BudgetScope) scope!: BudgetScope;
  @Field(() => String, { nullable: true, description: 'Required unless the scope is TENANT' }) scopeId?: string | null;
  @Field(() => BudgetPeriod) period!: BudgetPeriod;
  @Field(() => DecimalScalar, { description: 'USD, greater than 0' }) limit!: string;
  @Field(() => [Int], { nullable: true, description: 'Percents of the limit, 1–100; default [50, 80, 100]' }) thresholds?: number[] | null;
  @Field(() => Enforcement, { nullable: true, description: 'Default ALERT' }) enforcement?: Enforcement | null;
  @Field(() => String, { nullable: true, description: 'IANA time zone name; default UTC' }) timeZone?: string | null;
  @Field(() => String, { nullable: true }) webhookUrl?: string | null;
}

@ObjectType({ description: 'A spending limit and how much of it is used in the current period (the one containing now, in its time zone).' })
export class Budget implements BudgetView {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => BudgetScope) scope!: string;
  @Field(() => String, { nullable: true }) scopeId!: string | null;
  @Field(() => BudgetPeriod) period!: string;
  @Field(() => DecimalScalar) limit!: string;
  @Field(() => [Int]) thresholds!: number[];
  @Field(() => Enforcement) enforcement!: string;
  @Field(() => String) timeZone!: string;
  @Field(() => DateTimeScalar) periodStart!: string;
  @Field(() => DateTimeScalar) periodEnd!: string;
  @Field(() => DecimalScalar, { description: 'Cost of the matching events whose time lies in the period, corrections included' }) spent!: string;
  @Field(() => DecimalScalar, { description: 'Open reservations of pre-call checks' }) reserved!: string;
  @Field(() => DecimalScalar, { description: 'limit − spent − reserved (negative when over)' }) remaining!: string;
  @Field(() => String, { description: 'EXCEEDED when spent ≥ limit, else WARNING when spent ≥ the lowest threshold, else OK' }) status!: string;
  @Field(() => DecimalScalar, { nullable: true, description: 'Projected spend at periodEnd (run-rate of the period so far)' }) forecast!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When spend is projected to reach the limit; null when not within the period' })
  projectedBreachAt!: string | null;
}
