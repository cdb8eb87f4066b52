import { fileURLToPath } from 'node:url';
import { agentOverlapsQuery, agentQuery, agentsQuery, inventoryAlertsQuery, registerAgentCommand } from '@agentledger/contracts';
import { JetStreamAggregateStore } from '@agentledger/event-sourcing';
import { CONSUMERS, STREAMS, streamIn } from '@agentledger/jetstream';
import { projectionOf, sqlPool, type ServiceDefinition } from '@agentledger/service-kit';
import { PrismaClient } from './generated/prisma/client.js';
import { activityProjection } from './agents/activity.projection.js';
import { agentEventCodec } from './agents/agent-wire.js';
import { findAgent, listAgents, listOverlaps, poolRead } from './agents/agents.query.js';
import { parseIdleAfter } from './agents/idle-after.js';
import { handleRegisterAgent } from './agents/register-agent.handler.js';
import { registrationsProjection } from './agents/registrations.projection.js';
import { listAlerts } from './alerts/alerts.query.js';
import { checkInventoryConfig, inventoryConfig } from './inventory.config.js';

/** The composition root of the inventory service. */
export const inventoryService: ServiceDefinition<PrismaClient, typeof inventoryConfig> = {
  name: 'inventory',
  portVariable: 'INVENTORY_PORT',
  defaultPort: 4104,
  config: inventoryConfig,
  checkConfig: checkInventoryConfig,
  consumers: [CONSUMERS.inventoryActivity, CONSUMERS.inventoryRegistrations],
  database: {
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createClient: (adapter) => new PrismaClient({ adapter }),
  },
  compose(context) {
    const clock = () => new Date();
    // Queries read through the query pool (statement timeout); commands write through the projections' client.
    const pool = sqlPool(context.queryDatabase!);
    const queries = { db: context.queryDb, read: poolRead(pool), clock, idleAfterMs: parseIdleAfter(context.config.INVENTORY_IDLE_AFTER)! };
    // The read models are raw SQL: their transactions run on the bare pool, not through Prisma.
    const activity = projectionOf(context, activityProjection({ ns: context.ns }), { db: context.sql! });
    const registrations = projectionOf(context, registrationsProjection({ ns: context.ns }), { db: context.sql! });
    const store = new JetStreamAggregateStore({ js: context.js, jsm: context.jsm, publisher: context.publisher, stream: streamIn(context.ns, STREAMS.agents.name), codec: agentEventCodec });
    const commands = { ...queries, db: context.db, store, ns: context.ns, outbox: context.outbox };
    context.queries
      // 10,000 agents are about 4 MB of JSON: the query bus sends it gzipped, well within one reply.
      .handle(agentsQuery, (request) => listAgents(queries, request.tenant, request.args.filter))
      .handle(agentQuery, (request) => findAgent(queries, request.tenant, request.args.id))
      .handle(agentOverlapsQuery, (request) => listOverlaps(queries, request.tenant))
      .handle(inventoryAlertsQuery, (request) => listAlerts(context.queryDb, request))
      .handle(registerAgentCommand, (request) => handleRegisterAgent(commands, request));
    return { workers: [activity, registrations], stops: [{ name: 'queries: close their pool', stop: () => pool.end() }] };
  },
};
