import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from '@agentledger/observability';
import type { KeyAuthenticator } from '../auth/api-keys.js';
import { ServiceQueries } from '../service-queries.js';
import { EXPORT_KEYS, EXPORT_LOGGER, FocusExportController } from './focus-export.controller.js';

export interface FocusExportOptions {
  readonly apiKeys: KeyAuthenticator;
  readonly services: ServiceQueries;
  readonly logger: Logger;
}

/** `GET /v1/export/focus`: the tenant's costs as FOCUS 1.2. */
@Module({})
export class FocusExportModule {
  static forRoot(options: FocusExportOptions): DynamicModule {
    return {
      module: FocusExportModule,
      controllers: [FocusExportController],
      providers: [
        { provide: EXPORT_KEYS, useValue: options.apiKeys },
        { provide: ServiceQueries, useValue: options.services },
        { provide: EXPORT_LOGGER, useValue: options.logger },
      ],
    };
  }
}
