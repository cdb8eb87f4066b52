import type { PrismaClient } from './generated/prisma/client.js';

/** Pricing's database client, and a transaction on it (every module that writes takes one). */
export type PricingDb = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
