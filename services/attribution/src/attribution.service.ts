import { fileURLToPath } from 'node:url';
import { CONSUMERS } from '@agentledger/jetstream';
import {
  activeAgentsQuery,
  agentActivityQuery,
  focusCostsQuery,
  agentEfficiencyQuery,
  attributeBreakdownQuery,
  costBreakdownQuery,
  costSummaryQuery,
  evaluationSummaryQuery,
  operationalSummaryQuery,
  outcomeEconomicsQuery,
  routingDecisionsQuery,
  runQuery,
  runsQuery,
  spendOverTimeQuery,
  wasteQuery,
} from '@agentledger/contracts';
import { projectionOf, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { attributeBreakdown } from './costs/attribute-queries.js';
import { costEntriesProjectionFor } from './costs/cost-entries.projection.js';
import { costBreakdown, costSummary, spendOverTime } from './costs/cost-queries.js';
import { factsProjection } from './facts/facts.projection.js';
import { LiveSpend } from './live/live-spend.js';
import { activeAgents } from './agents/active-agents.js';
import { agentActivity } from './agents/agent-activity.js';
import { focusCosts } from './costs/focus-costs.js';
import { operationalSummary, routingDecisions } from './operations/operational-queries.js';
import { evaluationSummary } from './outcomes/evaluation-queries.js';
import { agentEfficiency, outcomeEconomics, waste } from './outcomes/outcome-queries.js';
import { run, runs } from './runs/run-queries.js';
import { attributionConfig } from './attribution.config.js';

/** The composition root of the attribution service. */
export const attributionService: ServiceDefinition<PrismaClient, typeof attributionConfig> = {
  name: 'attribution',
  portVariable: 'ATTRIBUTION_PORT',
  defaultPort: 4102,
  config: attributionConfig,
  consumers: [CONSUMERS.attributionCosts, CONSUMERS.attributionFacts],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const rollupAttributes = context.config.ATTRIBUTION_ROLLUP_ATTRIBUTES;
    const live = new LiveSpend(context.nc, context.ns);
    const costs = projectionOf(context, live.staging(costEntriesProjectionFor(rollupAttributes)), { db: live.committing(context.sql!) });
    const facts = projectionOf(context, factsProjection, { db: context.sql! });
    context.queries
      .handle(costSummaryQuery, (request) => costSummary(context.queryDb, request))
      .handle(costBreakdownQuery, (request) => costBreakdown(context.queryDb, request))
      .handle(attributeBreakdownQuery, (request) => attributeBreakdown(context.queryDb, rollupAttributes, request))
      .handle(spendOverTimeQuery, (request) => spendOverTime(context.queryDb, request))
      .handle(outcomeEconomicsQuery, (request) => outcomeEconomics(context.queryDb, request))
      .handle(runQuery, (request) => run(context.queryDb, request))
      .handle(runsQuery, (request) => runs(context.queryDb, request))
      .handle(operationalSummaryQuery, (request) => operationalSummary(context.queryDb, request))
      .handle(routingDecisionsQuery, (request) => routingDecisions(context.queryDb, request))
      .handle(evaluationSummaryQuery, (request) => evaluationSummary(context.queryDb, request))
      .handle(wasteQuery, (request) => waste(context.queryDb, request))
      .handle(agentEfficiencyQuery, (request) => agentEfficiency(context.queryDb, request))
      .handle(activeAgentsQuery, (request) => activeAgents(context.queryDb, request))
      .handle(agentActivityQuery, (request) => agentActivity(context.queryDb, request))
      .handle(focusCostsQuery, (request) => focusCosts(context.queryDb, request));
    return { workers: [costs, facts] };
  },
};
