import type { Logger } from './logger.js';

export interface ShutdownStep {
  name: string;
  stop: () => Promise<void>;
}

export interface GracefulShutdownOptions {
  logger: Logger;
  /**
   * Run one after the other, in this order, e.g. stop fetching, finish and ack the batch in hand,
   * drain NATS, disconnect Prisma, close HTTP. A step that fails is logged and the next still runs.
   */
  stops: ShutdownStep[];
  /** For all steps together; then exit(1). Default 25 s, under Kubernetes' 30 s grace period. */
  timeoutMs?: number;
  /** Default `process.exit`. */
  exit?: (code: number) => void;
  /** Default SIGTERM and SIGINT. */
  signals?: NodeJS.Signals[];
}

export interface GracefulShutdown {
  /** Runs the steps once (later calls get the same promise); resolves to the exit code used. */
  shutdown(reason: string): Promise<number>;
  /** Removes the signal listeners, e.g. at the end of a test. */
  dispose(): void;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

export function installGracefulShutdown(opts: GracefulShutdownOptions): GracefulShutdown {
  const { logger, stops } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const processExit = opts.exit ?? ((code: number) => process.exit(code));

  let exited = false;
  const exit = (code: number): number => {
    if (!exited) {
      exited = true;
      processExit(code);
    }
    return code;
  };

  let running: Promise<number> | undefined;
  const shutdown = (reason: string): Promise<number> => {
    running ??= runSteps(reason);
    return running;
  };

  const runSteps = async (reason: string): Promise<number> => {
    logger.info('shutdown started', { reason, steps: stops.map((step) => step.name), timeoutMs });
    let current = '';
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        logger.error('shutdown timed out', { step: current, timeoutMs });
        resolve(exit(1));
      }, timeoutMs);
    });
    const allSteps = (async () => {
      let failed = false;
      for (const step of stops) {
        current = step.name;
        failed = !(await runStep(logger, step)) || failed;
        if (exited) return 1;
      }
      logger.info('shutdown complete', { reason, failed });
      return exit(failed ? 1 : 0);
    })();
    try {
      return await Promise.race([allSteps, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (running) {
      logger.warn('second signal during shutdown, exiting now', { signal });
      exit(1);
      return;
    }
    void shutdown(signal);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return {
    shutdown,
    dispose: () => {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}

async function runStep(logger: Logger, step: ShutdownStep): Promise<boolean> {
  const started = performance.now();
  logger.info('stopping', { step: step.name });
  try {
    await step.stop();
    logger.info('stopped', { step: step.name, ms: Math.round(performance.now() - started) });
    return true;
  } catch (error) {
    logger.error('stop failed', { step: step.name, err: error });
    return false;
  }
}
