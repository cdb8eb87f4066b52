import type { ArgsOf, DeadLetterView, deadLettersQuery } from '@agentledger/contracts';
import { QueryError, type QueryRequest } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

const MAX_ROWS = 1_000;

/** The tenant's dead letters received in [from, to), newest first. */
export async function listDeadLetters(db: PrismaClient, request: QueryRequest<ArgsOf<typeof deadLettersQuery>>): Promise<DeadLetterView[]> {
  const start = new Date(request.args.from);
  const end = new Date(request.args.to);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || start >= end) {
    throw new QueryError('BAD_USER_INPUT', 'from and to must be date-times with from < to');
  }
  const rows = await db.deadLetter.findMany({
    where: { tenant: request.tenant, receivedAt: { gte: start, lt: end } },
    orderBy: { receivedAt: 'desc' },
    take: MAX_ROWS,
  });
  return rows.map((row) => ({ id: String(row.dlqSequence), reason: row.reason, subject: row.subject, receivedAt: row.receivedAt.toISOString(), service: row.service }));
}
