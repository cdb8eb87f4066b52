import { Module, type DynamicModule } from '@nestjs/common';
import type { ApiKeyRing } from '@agentledger/service-kit';
import type { EventIntake } from './event-intake.js';
import { API_KEYS, EVENT_INTAKE, EventsController } from './events.controller.js';
import { SaasUsageController } from '../saas-usage/saas-usage.controller.js';
import { SKIPPED_SPANS, TracesController, type SkippedSpans } from '../otlp/traces.controller.js';

/** The ingestion service's HTTP ports on `INGESTION_PORT`, wired from the composition root. */
@Module({})
export class HttpIntakeModule {
  static forRoot(deps: { keys: ApiKeyRing; intake: EventIntake; skippedSpans: SkippedSpans }): DynamicModule {
    return {
      module: HttpIntakeModule,
      controllers: [EventsController, SaasUsageController, TracesController],
      providers: [{ provide: API_KEYS, useValue: deps.keys }, { provide: EVENT_INTAKE, useValue: deps.intake }, { provide: SKIPPED_SPANS, useValue: deps.skippedSpans }],
    };
  }
}
