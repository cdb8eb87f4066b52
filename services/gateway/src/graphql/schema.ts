import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { ActiveAgentsResolver, AgentsResolver } from '../agents/agents.resolver.js';
import { AlertsResolver } from '../alerts/alerts.resolver.js';
import { BusinessResolver } from '../business/business.resolver.js';
import { BudgetsResolver } from '../budgets/budgets.resolver.js';
import { CallerResolver } from '../auth/caller.resolver.js';
import { CostsResolver } from '../costs/costs.resolver.js';
import { DeadLettersResolver } from '../dead-letters/dead-letters.resolver.js';
import { GovernanceResolver } from '../governance/governance.resolver.js';
import { LiveResolver } from '../live/live.resolver.js';
import { OperationsResolver } from '../operations/operations.resolver.js';
import { PausesResolver } from '../pauses/pauses.resolver.js';
import { PricesResolver } from '../prices/prices.resolver.js';
import { RunsResolver, RunSummaryResolver } from '../runs/runs.resolver.js';

/** Every resolver of the public API, one per area. */
export const RESOLVERS = [
  CostsResolver,
  RunsResolver,
  RunSummaryResolver,
  OperationsResolver,
  BusinessResolver,
  PricesResolver,
  AgentsResolver,
  ActiveAgentsResolver,
  GovernanceResolver,
  BudgetsResolver,
  AlertsResolver,
  PausesResolver,
  DeadLettersResolver,
  LiveResolver,
  CallerResolver,
];

/** The schema the resolvers declare, built without starting a server. */
export async function buildGatewaySchema(): Promise<GraphQLSchema> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    return await app.get(GraphQLSchemaFactory).create(RESOLVERS);
  } finally {
    await app.close();
  }
}

/** The SDL committed as `services/gateway/schema.graphql`: sorted, so diffs stay readable. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
