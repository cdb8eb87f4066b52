import { deadLetterCodec, fromTimestamp, type DeadLetter } from '@agentledger/contracts';
import { CONSUMERS, PermanentError } from '@agentledger/jetstream';
import type { ProjectionDefinition } from '@agentledger/service-kit';
import type { PrismaClient } from '../generated/prisma/client.js';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

interface SequencedDeadLetter {
  readonly dlqSequence: number;
  readonly deadLetter: DeadLetter;
}

/** Dead letters of every service → a table the gateway's `deadLetters` query reads. */
export const deadLettersProjection: ProjectionDefinition<SequencedDeadLetter, Tx> = {
  name: 'ingestion-dead-letters',
  consumer: CONSUMERS.ingestionDeadLetters,
  tables: ['dead_letter'],
  decode(msg) {
    try {
      return { key: `dlq:${msg.seq}`, event: { dlqSequence: msg.seq, deadLetter: deadLetterCodec.decode(msg.data) } };
    } catch (error) {
      throw new PermanentError(`undecodable dead letter: ${(error as Error).message}`, 'undecodable');
    }
  },
  async apply(tx, events) {
    await tx.deadLetter.createMany({
      data: events.map(({ dlqSequence, deadLetter }) => ({
        dlqSequence: BigInt(dlqSequence),
        tenant: deadLetter.tenant,
        service: deadLetter.service,
        reason: printable(deadLetter.reason),
        subject: printable(deadLetter.subject),
        stream: deadLetter.stream,
        streamSequence: deadLetter.streamSequence,
        deliveryCount: deadLetter.deliveryCount,
        receivedAt: fromTimestamp(deadLetter.receivedAt),
        headers: Object.fromEntries(deadLetter.headers.map((header) => [printable(header.name), header.values.map(printable)])),
        original: new Uint8Array(deadLetter.original),
      })),
      skipDuplicates: true,
    });
  },
};

/** PostgreSQL text cannot hold NUL; a reason may quote hostile input. The original bytes stay exact. */
function printable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\\u0000') : text;
}
