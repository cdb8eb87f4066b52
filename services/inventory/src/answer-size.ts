import { QueryError } from '@agentledger/service-kit';

const ENVELOPE_BYTES = 1_024;

/**
 * An answer NATS can carry in one reply (the server's max_payload, 1 MiB by default): a bigger
 * one cannot be sent at all, so the caller gets a typed error that says how to ask for less.
 */
export function withinOneReply<T>(answer: T, maxPayload: number | undefined, narrow: (bytes: number) => string): T {
  if (maxPayload === undefined) return answer;
  const bytes = Buffer.byteLength(JSON.stringify(answer));
  if (bytes + ENVELOPE_BYTES > maxPayload) throw new QueryError('BAD_USER_INPUT', narrow(bytes));
  return answer;
}
