import type { AnyValue, KeyValue } from './gen/opentelemetry/proto/common/v1/common_pb.js';
import { Status_StatusCode, type Span } from './gen/opentelemetry/proto/trace/v1/trace_pb.js';

type Scalar = string | number | boolean;
export type Attributes = ReadonlyMap<string, Scalar>;

export function attributesOf(list: readonly KeyValue[]): Map<string, Scalar> {
  const map = new Map<string, Scalar>();
  for (const { key, value } of list) {
    const scalar = scalarOf(value);
    if (scalar !== undefined) map.set(key, scalar);
  }
  return map;
}

function scalarOf(value: AnyValue | undefined): Scalar | undefined {
  switch (value?.value.case) {
    case 'stringValue':
    case 'boolValue':
    case 'doubleValue':
      return value.value.value;
    case 'intValue':
      return Number(value.value.value);
    default:
      return undefined;
  }
}

const first = (attributes: Attributes, ...keys: string[]): Scalar | undefined => {
  for (const key of keys) if (attributes.has(key)) return attributes.get(key);
  return undefined;
};
const text = (value: Scalar | undefined) => (value === undefined || value === '' ? undefined : String(value));
/** Token counts arrive as ints, doubles or strings depending on the SDK; a non-integer stays as sent, for validation to reject. */
const count = (value: Scalar | undefined): unknown => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);

/** The three GenAI dialects ingestion understands, by their attribute names. */
export type Dialect = 'otel-genai' | 'openinference' | 'openllmetry';

export function dialectOf(attributes: Attributes): Dialect | undefined {
  if (attributes.has('openinference.span.kind') || attributes.has('llm.model_name') || attributes.has('llm.token_count.prompt')) return 'openinference';
  if (attributes.has('gen_ai.usage.prompt_tokens') || attributes.has('traceloop.span.kind') || attributes.has('llm.request.type')) return 'openllmetry';
  if ([...attributes.keys()].some((key) => key.startsWith('gen_ai.'))) return 'otel-genai';
  return undefined;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const iso = (unixNano: bigint) => new Date(Number(unixNano / 1_000_000n)).toISOString();

/**
 * A GenAI span → the CloudEvent an instrumented agent would have published for it, or undefined
 * for a span that is not GenAI (skipped and counted, not dead-lettered). The event goes through
 * the very same validation; `id` is the trace and span id, `source` the resource's service.
 */
export function cloudEventOfSpan(span: Span, resource: Attributes): Record<string, unknown> | undefined {
  const attributes = attributesOf(span.attributes);
  const dialect = dialectOf(attributes);
  if (!dialect) return undefined;
  const service = text(resource.get('service.name')) ?? 'unknown_service';
  const common = {
    agentId: text(first(attributes, 'gen_ai.agent.id', 'gen_ai.agent.name', 'agent.name')) ?? service,
    traceId: span.traceId.length > 0 ? hex(span.traceId) : undefined,
    spanId: span.spanId.length > 0 ? hex(span.spanId) : undefined,
    parentSpanId: span.parentSpanId.length > 0 ? hex(span.parentSpanId) : undefined,
    workflow: text(first(attributes, 'gen_ai.workflow.name', 'traceloop.workflow.name')),
    environment: text(first(resource, 'deployment.environment.name', 'deployment.environment')),
    agentVersion: text(resource.get('service.version')),
  };
  const status = span.status?.code === Status_StatusCode.ERROR ? 'error' : 'ok';
  const latencyMs = span.endTimeUnixNano > span.startTimeUnixNano ? Number((span.endTimeUnixNano - span.startTimeUnixNano) / 1_000_000n) : undefined;
  const envelope = (type: string, data: Record<string, unknown>) => ({
    specversion: '1.0',
    id: `${common.traceId ?? 'notrace'}-${common.spanId ?? 'nospan'}`,
    source: `otlp://${service}`,
    type,
    time: iso(span.endTimeUnixNano || span.startTimeUnixNano),
    data: dropUndefined({ ...common, ...data }),
  });

  const evaluation = text(attributes.get('gen_ai.evaluation.name'));
  if (evaluation !== undefined) {
    return envelope('evaluation.scored', { evaluator: text(attributes.get('gen_ai.evaluation.evaluator')) ?? service, metric: evaluation, score: attributes.get('gen_ai.evaluation.score.value') });
  }
  const tool = toolName(dialect, attributes, span.name);
  if (tool !== undefined) return envelope('tool.call', { tool, latencyMs, status });
  const usage = usageOf(dialect, attributes);
  const model = text(first(attributes, 'gen_ai.request.model', 'llm.model_name', 'gen_ai.response.model'));
  if (!model && usage.inputTokens === undefined) return undefined; // e.g. an agent or chain span: structure, not a call
  return envelope('llm.call', {
    provider: text(first(attributes, 'gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system')),
    model,
    operation: text(first(attributes, 'gen_ai.operation.name', 'llm.request.type')),
    usage: dropUndefined(usage),
    latencyMs,
    status,
    reportedCost: attributes.has('llm.cost.total') ? String(attributes.get('llm.cost.total')) : undefined,
  });
}

function toolName(dialect: Dialect, attributes: Attributes, spanName: string): string | undefined {
  switch (dialect) {
    case 'otel-genai':
      return attributes.get('gen_ai.operation.name') === 'execute_tool' || attributes.has('gen_ai.tool.name')
        ? (text(attributes.get('gen_ai.tool.name')) ?? spanName)
        : undefined;
    case 'openinference':
      return attributes.get('openinference.span.kind') === 'TOOL' ? (text(attributes.get('tool.name')) ?? spanName) : undefined;
    case 'openllmetry':
      return attributes.get('traceloop.span.kind') === 'tool' ? (text(first(attributes, 'traceloop.entity.name', 'gen_ai.tool.name')) ?? spanName) : undefined;
    default: {
      const unexpected: never = dialect;
      return unexpected;
    }
  }
}

/** All three count input tokens with cache reads and writes included, as the contract does. */
function usageOf(dialect: Dialect, attributes: Attributes): Record<string, unknown> {
  switch (dialect) {
    case 'otel-genai':
      return {
        inputTokens: count(attributes.get('gen_ai.usage.input_tokens')),
        outputTokens: count(attributes.get('gen_ai.usage.output_tokens')),
        cacheReadTokens: count(attributes.get('gen_ai.usage.cache_read.input_tokens')),
        cacheWriteTokens: count(attributes.get('gen_ai.usage.cache_creation.input_tokens')),
        reasoningTokens: count(attributes.get('gen_ai.usage.reasoning.output_tokens')),
      };
    case 'openinference':
      return {
        inputTokens: count(attributes.get('llm.token_count.prompt')),
        outputTokens: count(attributes.get('llm.token_count.completion')),
        cacheReadTokens: count(attributes.get('llm.token_count.prompt_details.cache_read')),
        cacheWriteTokens: count(attributes.get('llm.token_count.prompt_details.cache_write')),
        reasoningTokens: count(attributes.get('llm.token_count.completion_details.reasoning')),
      };
    case 'openllmetry':
      return {
        inputTokens: count(first(attributes, 'gen_ai.usage.prompt_tokens', 'gen_ai.usage.input_tokens')),
        outputTokens: count(first(attributes, 'gen_ai.usage.completion_tokens', 'gen_ai.usage.output_tokens')),
        cacheReadTokens: count(attributes.get('gen_ai.usage.cache_read_input_tokens')),
        cacheWriteTokens: count(attributes.get('gen_ai.usage.cache_creation_input_tokens')),
      };
    default: {
      const unexpected: never = dialect;
      return unexpected;
    }
  }
}

function dropUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
