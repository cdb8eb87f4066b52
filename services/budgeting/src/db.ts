import type { PrismaClient } from './generated/prisma/client.js';

/** Budgeting's database client, and a transaction on it. */
export type BudgetingDb = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
