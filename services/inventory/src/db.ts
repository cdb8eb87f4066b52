import type { SqlExecutor } from '@agentledger/projections';
import type { PrismaClient } from './generated/prisma/client.js';

/** The inventory's database client (its queries' port). */
export type InventoryDb = PrismaClient;
/** A transaction of the inventory's read models: raw SQL only, so they run on the bare pg pool (`context.sql`). */
export type Tx = SqlExecutor;
