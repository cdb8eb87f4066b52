import { Controller, HttpCode, HttpException, Inject, Post, Req, Res } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { PermanentError } from '@agentledger/jetstream';
import type { ApiKeyRing, Caller } from '@agentledger/service-kit';
import type { EventIntake } from './event-intake.js';
import { requestBytes } from './request-body.js';

/** Express's request and response, as far as these ports use them (no @types/express here). */
export type HttpRequest = IncomingMessage & { body?: unknown; _body?: boolean };
export interface HttpResponse {
  status(code: number): { json(body: unknown): void };
}

export const API_KEYS = Symbol('ApiKeys');
export const EVENT_INTAKE = Symbol('EventIntake');

/** The caller of `Authorization: Bearer <key>` (or an `x-api-key` header), or 401. */
export function principalOf(keys: ApiKeyRing, request: HttpRequest): Caller {
  const headers = request.headers as { authorization?: string; 'x-api-key'?: string };
  const presented = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1] ?? headers['x-api-key'];
  const caller = presented ? keys.authenticate(presented) : undefined;
  if (!caller) throw new HttpException({ error: 'unauthorized: send Authorization: Bearer <api key>' }, 401);
  return caller;
}

const STRUCTURED = /^application\/(cloudevents\+)?json\b/i;
const BATCH = /^application\/cloudevents-batch\+json\b/i;

/**
 * `POST /v1/events`: CloudEvents over HTTP for agents that cannot speak NATS. Structured mode
 * (`application/cloudevents+json`, one event) or batch mode (`application/cloudevents-batch+json`,
 * a JSON array); the answer lists each event as accepted or rejected with its reason.
 */
@Controller('v1')
export class EventsController {
  constructor(
    @Inject(API_KEYS) private readonly keys: ApiKeyRing,
    @Inject(EVENT_INTAKE) private readonly intake: EventIntake,
  ) {}

  @Post('events')
  @HttpCode(200)
  async events(@Req() request: HttpRequest, @Res() response: HttpResponse): Promise<void> {
    const { tenant } = principalOf(this.keys, request);
    const contentType = String(request.headers['content-type'] ?? 'application/cloudevents+json');
    let body: Uint8Array | undefined;
    try {
      if (!STRUCTURED.test(contentType) && !BATCH.test(contentType)) {
        throw new PermanentError('headers.Content-Type: must be application/cloudevents+json or application/cloudevents-batch+json', 'bad_content_type');
      }
      body = await requestBytes(request);
      const events = eventsIn(body, BATCH.test(contentType));
      response.status(200).json(await this.intake.submit(tenant, 'http', events, 'POST /v1/events'));
    } catch (error) {
      if (!(error instanceof PermanentError)) throw error;
      await this.intake.deadLetter(tenant, error.message, body ?? new Uint8Array(), 'POST /v1/events');
      response.status(error.category === 'oversize' ? 413 : 400).json({ accepted: 0, rejected: 1, error: error.message });
    }
  }
}

export function eventsIn(body: Uint8Array, batch: boolean): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw new PermanentError(`body: must be valid UTF-8 JSON (${JSON.stringify((error as Error).message.slice(0, 200)).slice(1, -1)})`, 'bad_json');
  }
  if (batch) {
    if (!Array.isArray(parsed)) throw new PermanentError('body: must be a JSON array of CloudEvents (batch mode)', 'invalid');
    if (parsed.length === 0) throw new PermanentError('body: a batch must hold at least one event', 'invalid');
    return parsed;
  }
  if (Array.isArray(parsed)) throw new PermanentError('body: must be one CloudEvent object (send arrays as application/cloudevents-batch+json)', 'invalid');
  return [parsed];
}
