import { Histogram, type Registry } from 'prom-client';
import type { Contract } from '@agentledger/contracts';
import { QueryError } from './query-error.js';

export interface QueryLogger {
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** The registry the handler histogram is registered in (a `ServiceMetrics` is one). */
export interface HandlerMetrics {
  readonly registry: Registry;
}

export const HANDLER_SECONDS = 'agentledger_request_handler_seconds';
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = 'kind' | 'name' | 'outcome';

// One histogram per registry, however many servers share it.
function handlerSeconds(registry: Registry): Histogram<Labels> {
  const existing = registry.getSingleMetric(HANDLER_SECONDS);
  if (existing) return existing as Histogram<Labels>;
  return new Histogram({
    name: HANDLER_SECONDS,
    help: 'Time to answer one query or command, by kind, name and outcome (ok or the error code).',
    labelNames: ['kind', 'name', 'outcome'],
    buckets: BUCKETS,
    registers: [registry],
  });
}

/**
 * Wraps a query or command handler with what every handler needs and none writes itself:
 * its duration by outcome, and an error log with the stack when it fails unexpectedly
 * (a `QueryError` is an answer, not a failure, and is not logged).
 */
export function instrumented<Request, Result>(
  contract: Contract,
  handler: (request: Request) => Promise<Result>,
  options: { readonly logger?: QueryLogger; readonly metrics?: HandlerMetrics },
): (request: Request) => Promise<Result> {
  const histogram = options.metrics ? handlerSeconds(options.metrics.registry) : undefined;
  return async (request) => {
    const stopTimer = histogram?.startTimer({ kind: contract.kind, name: contract.name });
    try {
      const result = await handler(request);
      stopTimer?.({ outcome: 'ok' });
      return result;
    } catch (error) {
      const outcome = error instanceof QueryError ? error.code : 'INTERNAL';
      stopTimer?.({ outcome });
      if (outcome === 'INTERNAL') {
        options.logger?.error(`${contract.kind} failed`, { [contract.kind]: contract.name, error: (error as Error)?.stack ?? String(error) });
      }
      throw error;
    }
  };
}
