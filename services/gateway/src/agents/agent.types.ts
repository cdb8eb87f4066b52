import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { ActiveAgentView, AgentView } from '@agentledger/contracts';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

@ObjectType({ description: 'An agent seen in events or registered.' })
export class Agent implements Pick<AgentView, 'id' | 'name' | 'owner' | 'team' | 'platform' | 'vendor' | 'lifecycle' | 'firstSeen' | 'lastSeen'> {
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true, description: 'As registered.' }) name!: string | null;
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => String, { nullable: true }) team!: string | null;
  @Field(() => String, { nullable: true, description: 'internal or saas.' }) platform!: string | null;
  @Field(() => String, { nullable: true, description: 'The SaaS vendor of a saas agent.' }) vendor!: string | null;
  @Field(() => String, { nullable: true, description: 'experiment, staging, production or retired.' }) lifecycle!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) firstSeen!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) lastSeen!: string | null;
}

@ObjectType({ description: 'An agent that made calls in a window.' })
export class ActiveAgent implements ActiveAgentView {
  @Field(() => String) agentId!: string;
  @Field(() => String, { nullable: true }) team!: string;
  @Field(() => Int, { description: 'LLM and tool calls in the window.' }) calls!: number;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => DateTimeScalar) lastSeen!: string;
  @Field(() => Agent, { nullable: true, description: 'The agent as the inventory knows it (owner, platform, lifecycle).' }) agent?: Agent | null;
}
