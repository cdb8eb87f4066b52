import { fromBinary, fromJson, type JsonValue } from '@bufbuild/protobuf';
import { PermanentError } from '@agentledger/jetstream';
import { ExportTraceServiceRequestSchema, type ExportTraceServiceRequest } from './gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';

export const PROTOBUF = /^application\/(x-)?protobuf\b/i;

/** An OTLP/HTTP trace export, protobuf (`application/x-protobuf`) or JSON (`application/json`). */
export function readExportRequest(body: Uint8Array, contentType: string): ExportTraceServiceRequest {
  if (PROTOBUF.test(contentType)) {
    try {
      return fromBinary(ExportTraceServiceRequestSchema, body);
    } catch (error) {
      throw new PermanentError(`body: must be an OTLP ExportTraceServiceRequest in protobuf (${(error as Error).message.slice(0, 200)})`, 'invalid');
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw new PermanentError(`body: must be valid UTF-8 JSON (${JSON.stringify((error as Error).message.slice(0, 200)).slice(1, -1)})`, 'bad_json');
  }
  try {
    return fromJson(ExportTraceServiceRequestSchema, hexIdsToBase64(json) as JsonValue, { ignoreUnknownFields: true });
  } catch (error) {
    throw new PermanentError(`body: must be an OTLP ExportTraceServiceRequest in JSON (${(error as Error).message.slice(0, 200)})`, 'invalid');
  }
}

const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

/** OTLP/JSON writes trace and span ids as hex, where proto3 JSON expects base64: convert them. */
function hexIdsToBase64(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hexIdsToBase64);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, member]) => [
      key,
      ID_FIELDS.has(key) && typeof member === 'string' && /^([0-9a-f]{2})*$/i.test(member) ? Buffer.from(member, 'hex').toString('base64') : hexIdsToBase64(member),
    ]),
  );
}
