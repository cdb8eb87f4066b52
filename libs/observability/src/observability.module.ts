import { Module, type DynamicModule } from '@nestjs/common';
import { createLogger, type Logger } from './logger.js';
import { OpsController } from './ops.controller.js';
import { ReadinessChecks } from './readiness.js';
import { ServiceMetrics } from './service-metrics.js';
import { LOGGER, SERVICE_NAME } from './tokens.js';

export interface ObservabilityModuleOptions {
  service: string;
  /** Default: `createLogger(service)` at `info`. */
  logger?: Logger;
  /** Default: a new `ServiceMetrics({ service })`. */
  metrics?: ServiceMetrics;
  /** Default: no checks, so `/readyz` answers 200. */
  readiness?: ReadinessChecks;
}

/**
 * Mounts `/healthz`, `/readyz` and `/metrics` and provides, globally, the instances the
 * composition root built: `@Inject(LOGGER) logger: Logger`, `ServiceMetrics`, `ReadinessChecks`,
 * `@Inject(SERVICE_NAME) service: string`. They are built outside Nest so the non-Nest parts of the
 * service (the JetStream consumer, graceful shutdown) share the same ones.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    const { service } = options;
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [OpsController],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: LOGGER, useValue: options.logger ?? createLogger(service) },
        { provide: ServiceMetrics, useValue: options.metrics ?? new ServiceMetrics({ service }) },
        { provide: ReadinessChecks, useValue: options.readiness ?? new ReadinessChecks() },
      ],
      exports: [SERVICE_NAME, LOGGER, ServiceMetrics, ReadinessChecks],
    };
  }
}
