import { CommandRejected } from '@agentledger/event-sourcing';
import { QueryError } from './query-bus.js';

/** Runs a command; a rejection by its aggregate answers the caller as the error it is (the field and the rule in words). */
export async function answeringRejections<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CommandRejected) throw new QueryError(error.kind === 'not_found' ? 'NOT_FOUND' : 'BAD_USER_INPUT', error.message);
    throw error;
  }
}
