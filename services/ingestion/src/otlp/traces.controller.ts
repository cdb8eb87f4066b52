import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { create, toBinary, toJson } from '@bufbuild/protobuf';
import { PermanentError } from '@agentledger/jetstream';
import type { ApiKeyRing } from '@agentledger/service-kit';
import type { EventIntake } from '../http/event-intake.js';
import { API_KEYS, EVENT_INTAKE, principalOf, type HttpRequest } from '../http/events.controller.js';
import { requestBytes } from '../http/request-body.js';
import { ExportTraceServiceResponseSchema } from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { attributesOf, cloudEventOfSpan } from './genai-spans.js';
import { PROTOBUF, readExportRequest } from './otlp-request.js';

export const SKIPPED_SPANS = Symbol('SkippedSpans');
export type SkippedSpans = (count: number) => void;
const ORIGIN = 'POST /v1/traces';

interface RawResponse {
  status(code: number): RawResponse;
  setHeader(name: string, value: string): void;
  send(body: unknown): void;
}

/**
 * `POST /v1/traces`: OTLP/HTTP (protobuf or JSON, optionally gzip). GenAI spans of the three
 * dialects become canonical events through the CloudEvents path; other spans are skipped and
 * counted; spans that map to an invalid event are reported as OTLP partial success.
 */
@Controller('v1')
export class TracesController {
  constructor(
    @Inject(API_KEYS) private readonly keys: ApiKeyRing,
    @Inject(EVENT_INTAKE) private readonly intake: EventIntake,
    @Inject(SKIPPED_SPANS) private readonly skipped: SkippedSpans,
  ) {}

  @Post('traces')
  async traces(@Req() request: HttpRequest, @Res() response: RawResponse): Promise<void> {
    const { tenant } = principalOf(this.keys, request);
    const contentType = String(request.headers['content-type'] ?? 'application/x-protobuf');
    let body: Uint8Array | undefined;
    try {
      body = await requestBytes(request);
      const exported = readExportRequest(body, contentType);
      const events: Array<Record<string, unknown>> = [];
      let skipped = 0;
      for (const resourceSpans of exported.resourceSpans) {
        const resource = attributesOf(resourceSpans.resource?.attributes ?? []);
        for (const scopeSpans of resourceSpans.scopeSpans) {
          for (const span of scopeSpans.spans) {
            const event = cloudEventOfSpan(span, resource);
            if (event) events.push(event);
            else skipped++;
          }
        }
      }
      if (skipped > 0) this.skipped(skipped);
      const answer = events.length > 0 ? await this.intake.submit(tenant, 'otlp', events, ORIGIN) : { accepted: 0, rejected: 0, results: [] };
      const reasons = answer.results.flatMap((result) => (result.reason ? [result.reason] : []));
      const exportResponse = create(ExportTraceServiceResponseSchema, {
        partialSuccess: answer.rejected > 0 ? { rejectedSpans: BigInt(answer.rejected), errorMessage: reasons.slice(0, 10).join('; ') } : undefined,
      });
      if (PROTOBUF.test(contentType)) {
        response.status(200).setHeader('Content-Type', 'application/x-protobuf');
        response.send(Buffer.from(toBinary(ExportTraceServiceResponseSchema, exportResponse)));
      } else {
        response.status(200).setHeader('Content-Type', 'application/json');
        response.send(JSON.stringify(toJson(ExportTraceServiceResponseSchema, exportResponse)));
      }
    } catch (error) {
      if (!(error instanceof PermanentError)) throw error;
      await this.intake.deadLetter(tenant, error.message, body ?? new Uint8Array(), ORIGIN);
      response.status(error.category === 'oversize' ? 413 : 400).setHeader('Content-Type', 'application/json');
      response.send(JSON.stringify({ code: 3, message: error.message }));
    }
  }
}
