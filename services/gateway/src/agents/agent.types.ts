import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { ActiveAgentView, AgentOverlapView, AgentView } from '@agentledger/contracts';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';

// Enum values travel to the inventory as their GraphQL names.
export enum AgentStatus {
  ACTIVE = 'ACTIVE',
  IDLE = 'IDLE',
  RETIRED = 'RETIRED',
}
registerEnumType(AgentStatus, {
  name: 'AgentStatus',
  description: 'RETIRED when registered with lifecycle retired; else ACTIVE when last seen within the idle threshold of now (default 7 days), else IDLE.',
});

@InputType({ description: 'Narrows the inventory: every field given must match.' })
export class AgentFilter {
  @Field(() => AgentStatus, { nullable: true }) status?: AgentStatus | null;
  @Field(() => String, { nullable: true, description: 'internal or saas' }) platform?: string | null;
  @Field(() => String, { nullable: true }) team?: string | null;
  @Field(() => String, { nullable: true, description: 'experiment, staging, production or retired' }) lifecycle?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'false for the agents seen only in traffic' }) registered?: boolean | null;
}

@InputType({ description: 'A registration: the fields given override what the inventory holds, the others stay.' })
export class AgentInput {
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) team?: string | null;
  @Field(() => String, { nullable: true, description: 'Who answers for the agent (a person or a team address)' }) owner?: string | null;
  @Field(() => String, { nullable: true, description: 'internal or saas' }) platform?: string | null;
  @Field(() => String, { nullable: true, description: 'The SaaS vendor of a saas agent' }) vendor?: string | null;
  @Field(() => [String], { nullable: true }) workflows?: string[] | null;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'experiment, staging, production or retired' }) lifecycle?: string | null;
}

@ObjectType({ description: 'An agent seen in events or registered, internal or inside a SaaS tool.' })
export class Agent implements AgentView {
  @Field(() => String) id!: string;
  @Field(() => String, { nullable: true, description: 'As registered.' }) name!: string | null;
  @Field(() => String, { nullable: true, description: 'As registered, else from its latest event.' }) team!: string | null;
  @Field(() => String, { nullable: true }) owner!: string | null;
  @Field(() => String, { nullable: true, description: 'internal or saas: as registered, else saas when it reported saas.usage, else internal.' }) platform!: string | null;
  @Field(() => String, { nullable: true, description: 'The SaaS vendor of a saas agent.' }) vendor!: string | null;
  @Field(() => String, { nullable: true, description: 'experiment, staging, production or retired.' }) lifecycle!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String], { description: 'From registrations and events, distinct and sorted.' }) workflows!: string[];
  @Field(() => Boolean, { description: 'False for an agent seen only in traffic.' }) registered!: boolean;
  @Field(() => AgentStatus) status!: AgentView['status'];
  @Field(() => DateTimeScalar, { nullable: true, description: 'Earliest event time of its activity (registrations are not activity).' }) firstSeen!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Latest event time of its activity.' }) lastSeen!: string | null;
  @Field(() => [String], { description: 'Distinct models of its llm.calls, sorted.' }) models!: string[];
  @Field(() => [String], { description: 'Distinct tools of its tool.calls, sorted.' }) tools!: string[];
  @Field(() => DateTimeScalar, { nullable: true, description: 'Event time of the registration that retired it.' }) retiredAt!: string | null;
  @Field(() => Boolean, { description: 'True for a retired agent still sending events after retiredAt.' }) activeAfterRetirement!: boolean;
}

@ObjectType({ description: 'A workflow that more than one agent serves: overlapping automation, often across teams.' })
export class AgentOverlap implements AgentOverlapView {
  @Field(() => String) workflow!: string;
  @Field(() => [String], { description: 'The agents serving it, sorted.' }) agents!: string[];
  @Field(() => [String], { description: 'Their teams, sorted.' }) teams!: string[];
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
