import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface DeadLetterView {
  reason: string;
  subject: string;
  receivedAt: string;
  service: string;
  tenant: string;
}

const MAX_ROWS = 1_000;

/** The tenant's dead letters received in [from, to), newest first. */
export async function listDeadLetters(db: PrismaClient, request: QueryRequest): Promise<DeadLetterView[]> {
  const { from, to } = (request.args ?? {}) as { from?: string; to?: string };
  const start = new Date(from ?? '');
  const end = new Date(to ?? '');
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) {
    throw new QueryError('BAD_USER_INPUT', 'from and to must be date-times with from < to');
  }
  const rows = await db.deadLetter.findMany({
    where: { tenant: request.tenant, receivedAt: { gte: start, lt: end } },
    orderBy: { receivedAt: 'desc' },
    take: MAX_ROWS,
  });
  return rows.map((row) => ({ reason: row.reason, subject: row.subject, receivedAt: row.receivedAt.toISOString(), service: row.service, tenant: row.tenant }));
}
