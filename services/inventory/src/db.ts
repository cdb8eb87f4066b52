import type { PrismaClient } from './generated/prisma/client.js';

/** The inventory's database client, and a transaction on it. */
export type InventoryDb = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
