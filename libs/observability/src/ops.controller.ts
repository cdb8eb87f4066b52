import { Controller, Get, Inject } from '@nestjs/common';
import { ReadinessChecks } from './readiness.js';
import { ServiceMetrics } from './service-metrics.js';
import { SERVICE_NAME } from './tokens.js';

// Probes and scrapes must never be served from a cache.
const NO_STORE = { 'cache-control': 'no-store' };

/**
 * The probe and scrape endpoints. Handlers return a web `Response` where the status or content
 * type varies, which Nest sends as it is on any HTTP adapter.
 */
@Controller()
export class OpsController {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
    @Inject(ReadinessChecks) private readonly readiness: ReadinessChecks,
  ) {}

  /** Liveness: the process answers. Dependencies are `/readyz`'s business, not a reason to restart. */
  @Get('healthz')
  healthz(): { status: 'ok'; service: string } {
    return { status: 'ok', service: this.service };
  }

  @Get('readyz')
  async readyz(): Promise<Response> {
    const report = await this.readiness.run();
    return Response.json(report, { status: report.ready ? 200 : 503, headers: NO_STORE });
  }

  @Get('metrics')
  async metricsText(): Promise<Response> {
    const text = await this.metrics.metricsText();
    return new Response(text, { headers: { ...NO_STORE, 'content-type': this.metrics.contentType } });
  }
}
