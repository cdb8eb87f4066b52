import { Controller, Get, Inject, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, type Logger } from './logger.js';
import { NestJsonLogger } from './nest-json-logger.js';
import { ObservabilityModule } from './observability.module.js';
import { ReadinessChecks } from './readiness.js';
import { ServiceMetrics } from './service-metrics.js';
import { LOGGER, SERVICE_NAME } from './tokens.js';

// A feature controller of the service, to show the module's providers are injectable anywhere.
@Controller('probe')
class InjectionProbeController {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(ServiceMetrics) private readonly metrics: ServiceMetrics,
  ) {}

  @Get()
  probe(): { service: string; level: string; hasRegistry: boolean } {
    return { service: this.service, level: this.logger.level, hasRegistry: this.metrics.registry !== undefined };
  }
}

@Module({ controllers: [InjectionProbeController] })
class FeatureModule {}

describe('ObservabilityModule', () => {
  let app: INestApplication;
  let baseUrl: string;
  let natsConnected = true;
  const lines: string[] = [];

  beforeAll(async () => {
    const logger = createLogger('pricing', { write: (line) => lines.push(line) });
    const metrics = new ServiceMetrics({ service: 'pricing', defaultMetrics: false });
    const readiness = new ReadinessChecks({ timeoutMs: 100 })
      .register('nats', async () => (natsConnected ? undefined : 'connection closed'))
      .register('postgres', async () => {});
    metrics.consumerHooks('pricing-costs').onApplied(7);

    @Module({ imports: [ObservabilityModule.forRoot({ service: 'pricing', logger, metrics, readiness }), FeatureModule] })
    class AppModule {}

    app = await NestFactory.create(AppModule, { logger: new NestJsonLogger(logger) });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers /healthz with the service name', async () => {
    const response = await fetch(`${baseUrl}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', service: 'pricing' });
  });

  it('answers /readyz with 200 and the checks when all pass', async () => {
    natsConnected = true;

    const response = await fetch(`${baseUrl}/readyz`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ ready: true, checks: { nats: { ok: true }, postgres: { ok: true } } });
  });

  it('answers /readyz with 503 and the failing reason when a check fails', async () => {
    natsConnected = false;

    const response = await fetch(`${baseUrl}/readyz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      ready: false,
      checks: { nats: { ok: false, detail: 'connection closed' }, postgres: { ok: true } },
    });
  });

  it('serves the Prometheus text format on /metrics', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text).toContain('# TYPE agentledger_events_applied_total counter');
    expect(text).toContain('agentledger_events_applied_total{consumer="pricing-costs",service="pricing"} 7');
  });

  it('provides the logger, service name and metrics to the rest of the app', async () => {
    const response = await fetch(`${baseUrl}/probe`);

    expect(await response.json()).toEqual({ service: 'pricing', level: 'info', hasRegistry: true });
  });

  it("keeps Nest's start-up lines at debug, so an info log starts quietly, and writes nothing at warn or above while serving", () => {
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);

    expect(entries.filter((entry) => ['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication'].includes(String(entry.context)))).toEqual([]);
    expect(entries.filter((entry) => entry.level !== 'info')).toEqual([]);
  });
});
