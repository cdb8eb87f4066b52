import type { SqlExecutor } from '@agentledger/projections';
import type { PrismaClient } from './generated/prisma/client.js';

/** Budgeting's database client (queries, commands and the budgets read model). */
export type BudgetingDb = PrismaClient;
/** A transaction of a raw-SQL read model: runs on the bare pg pool (`context.sql`) or inside a Prisma transaction alike. */
export type Tx = SqlExecutor;
/** A transaction on the Prisma client, for the read model that reads through its models (budgets). */
export type PrismaTx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
