import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { PermanentError } from '@agentledger/jetstream';
import type { ApiKeyRing } from '@agentledger/service-kit';
import type { EventIntake } from '../http/event-intake.js';
import { API_KEYS, EVENT_INTAKE, principalOf, type HttpRequest, type HttpResponse } from '../http/events.controller.js';
import { requestBytes } from '../http/request-body.js';
import { formatOf, saasUsageEvent, saasUsageRows } from './saas-usage-rows.js';

const ORIGIN = 'POST /v1/saas-usage';

/** `POST /v1/saas-usage`: a vendor's usage export (`text/csv` or JSON) → `saas.usage` events, per-row answer. */
@Controller('v1')
export class SaasUsageController {
  constructor(
    @Inject(API_KEYS) private readonly keys: ApiKeyRing,
    @Inject(EVENT_INTAKE) private readonly intake: EventIntake,
  ) {}

  @Post('saas-usage')
  async import(@Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    const { tenant } = principalOf(this.keys, request);
    let body: Uint8Array | undefined;
    try {
      body = await requestBytes(request);
      const importedAt = new Date();
      const events = saasUsageRows(body, formatOf(String(request.headers['content-type'] ?? ''))).map((row) => saasUsageEvent(row, importedAt));
      response.status(200).json(await this.intake.submit(tenant, 'saas-import', events, ORIGIN));
    } catch (error) {
      if (!(error instanceof PermanentError)) throw error;
      await this.intake.deadLetter(tenant, error.message, body ?? new Uint8Array(), ORIGIN);
      response.status(error.category === 'oversize' ? 413 : 400).json({ accepted: 0, rejected: 1, error: error.message });
    }
  }
}
