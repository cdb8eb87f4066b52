import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Agent } from '../agents/agent.types.js';
import { DateTimeScalar } from '../graphql/scalars/date-time.scalar.js';
import { DecimalScalar } from '../graphql/scalars/decimal.scalar.js';
import type { AgentGroupView, GovernanceView } from './governance-summary.js';
import type { LifecycleStageView } from './lifecycle-economics.js';

@ObjectType({ description: 'Agents that share one governance concern, the most expensive in the window first.' })
export class AgentGroup implements AgentGroupView {
  @Field(() => Int) count!: number;
  @Field(() => DecimalScalar, { description: 'Their cost in the window, together (LLM, tool and SaaS).' }) totalCost!: string;
  @Field(() => [Agent]) agents!: Agent[];
}

@ObjectType({ description: 'What governance asks of the inventory in a window: who nobody registered or owns, what idles yet costs, what was retired yet still runs.' })
export class Governance implements GovernanceView {
  @Field(() => DateTimeScalar) from!: string;
  @Field(() => DateTimeScalar) to!: string;
  @Field(() => AgentGroup, { description: 'Agents seen only in traffic: nobody registered them.' }) unregistered!: AgentGroup;
  @Field(() => AgentGroup, { description: 'Agents without an owner, registered or not.' }) unowned!: AgentGroup;
  @Field(() => AgentGroup, { description: 'IDLE agents (nothing within the idle threshold of now) that still cost money in the window, such as SaaS seats paid while nothing runs.' })
  idleWithCost!: AgentGroup;
  @Field(() => AgentGroup, { description: 'RETIRED agents still sending events after their retirement.' }) retiredStillSending!: AgentGroup;
}

@ObjectType({ description: 'Cost and evaluations of one lifecycle stage in a window: experiment → staging → production.' })
export class LifecycleStage implements LifecycleStageView {
  @Field(() => String, { description: 'The registered lifecycle of the agent, else the environment of its events.' }) stage!: string;
  @Field(() => Int, { description: 'Agents with cost or evaluations in the stage.' }) agents!: number;
  @Field(() => DecimalScalar) totalCost!: string;
  @Field(() => Int) evaluations!: number;
  @Field(() => Int) passedEvaluations!: number;
  @Field(() => DecimalScalar, { nullable: true, description: 'totalCost / evaluations; null without evaluations.' }) costPerEvaluation!: string | null;
  @Field(() => DecimalScalar, { nullable: true, description: 'totalCost / passedEvaluations; null without a passing one.' }) costPerPassingEvaluation!: string | null;
}
