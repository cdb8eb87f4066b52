import {
  AgentLifecycle,
  AgentPlatform,
  CallStatus,
  factCodec,
  isEventType,
  RunStatus,
  SCHEMA_VERSION,
  toTimestamp,
  EVENT_TYPES,
  type CanonicalFact,
  type CommonData,
} from '@agentledger/contracts';
import { Fields, LIMITS, rejectNul, Violation } from './field-checks.js';
import { ENVELOPE_FIELDS, enumOf, enumWords, EXTENSION_NAME, MAX_EXTENSIONS, nestedFields, PAYLOADS } from './contract-schema.js';

const llmCall = PAYLOADS.get('llm.call')!.message;
const CALL_STATUS = enumWords<CallStatus>(enumOf(llmCall, 'status'));
const RUN_STATUS = enumWords<RunStatus>(enumOf(PAYLOADS.get('run.finished')!.message, 'status'));
const agentRegistered = PAYLOADS.get('agent.registered')!.message;
const PLATFORM = enumWords<AgentPlatform>(enumOf(agentRegistered, 'platform'));
const LIFECYCLE = enumWords<AgentLifecycle>(enumOf(agentRegistered, 'lifecycle'));
const USAGE_FIELDS = nestedFields(llmCall, 'usage');
const ROUTING_FIELDS = nestedFields(llmCall, 'routing');

/** An enum word of the contract (descriptor-derived), or its default when absent. */
function enumField<E extends number>(data: Fields, key: string, words: ReadonlyMap<string, E>, required: boolean): E | undefined {
  const word = data.oneOf(key, [...words.keys()], required);
  return word === undefined ? undefined : words.get(word);
}

export interface Arrival {
  readonly tenant: string;
  readonly receivedAt: Date;
  readonly channel: 'nats' | 'http' | 'otlp' | 'saas-import';
}

/**
 * One CloudEvents 1.0 event (structured JSON) → a canonical fact, or a `Violation` naming
 * the field path and the rule it breaks (CONTRACT.md part A).
 */
export function factFromCloudEvent(value: unknown, arrival: Arrival): CanonicalFact {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Violation('envelope', 'must be an object');
  rejectNul(value);
  const envelope = Fields.of(value, '');
  const specversion = envelope.string('specversion');
  if (specversion !== '1.0') throw new Violation('specversion', 'must be "1.0"');
  const eventId = envelope.string('id', LIMITS.idLength);
  const source = envelope.string('source', LIMITS.sourceLength);
  const type = envelope.string('type');
  if (!isEventType(type)) throw new Violation('type', `must be one of ${EVENT_TYPES.join(', ')}`);
  const time = envelope.instant('time', true)!;
  if (time.getTime() > arrival.receivedAt.getTime() + LIMITS.futureToleranceMs) {
    throw new Violation('time', 'must not be more than 1 hour in the future');
  }
  const contentType = envelope.optionalString('datacontenttype');
  if (contentType && !/^application\/(.+\+)?json\b/.test(contentType)) throw new Violation('datacontenttype', 'must be application/json');
  checkExtensions(envelope);
  const data = envelope.nested('data', true)!.onlyKnown(PAYLOADS.get(type)!.dataFields);

  const common: CommonData = {
    $typeName: 'finops.v1.CommonData',
    agentId: data.string('agentId'),
    traceId: data.optionalString('traceId'),
    spanId: data.optionalString('spanId'),
    parentSpanId: data.optionalString('parentSpanId'),
    team: data.optionalString('team'),
    workflow: data.optionalString('workflow'),
    environment: data.optionalString('environment') || 'production',
    agentVersion: data.optionalString('agentVersion'),
    attributes: data.attributes('attributes'),
  };
  return factCodec.create({
    schemaVersion: SCHEMA_VERSION,
    tenant: arrival.tenant,
    eventId,
    source,
    type,
    time: toTimestamp(time),
    receivedAt: toTimestamp(arrival.receivedAt),
    channel: arrival.channel,
    common,
    payload: payloadOf(type, data),
  });
}

function payloadOf(type: (typeof EVENT_TYPES)[number], data: Fields): CanonicalFact['payload'] {
  switch (type) {
    case 'llm.call': {
      const usage = data.nested('usage', true)!.onlyKnown(USAGE_FIELDS);
      const inputTokens = usage.count('inputTokens');
      const outputTokens = usage.count('outputTokens');
      const cacheReadTokens = usage.optionalCount('cacheReadTokens') ?? 0n;
      const cacheWriteTokens = usage.optionalCount('cacheWriteTokens') ?? 0n;
      const reasoningTokens = usage.optionalCount('reasoningTokens') ?? 0n;
      if (cacheReadTokens + cacheWriteTokens > inputTokens) {
        throw new Violation('data.usage', 'cacheReadTokens + cacheWriteTokens must not exceed inputTokens');
      }
      if (reasoningTokens > outputTokens) throw new Violation('data.usage.reasoningTokens', 'must not exceed outputTokens');
      const routing = data.nested('routing', false)?.onlyKnown(ROUTING_FIELDS);
      return {
        case: 'llmCall',
        value: {
          $typeName: 'finops.v1.LlmCall',
          provider: data.string('provider'),
          model: data.string('model'),
          usage: { $typeName: 'finops.v1.TokenUsage', inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens },
          operation: data.optionalString('operation'),
          latencyMs: data.optionalCount('latencyMs'),
          status: enumField(data, 'status', CALL_STATUS, false) ?? CallStatus.OK,
          attempt: data.integerAtLeast('attempt', 1) ?? 1,
          retryOf: data.optionalString('retryOf'),
          escalatedFrom: data.optionalString('escalatedFrom'),
          routing: routing && {
            $typeName: 'finops.v1.RoutingDecision',
            router: routing.string('router'),
            decision: routing.string('decision'),
            reason: routing.optionalString('reason', LIMITS.textLength),
            candidates: routing.strings('candidates'),
          },
          reportedCost: data.decimal('reportedCost'),
        },
      };
    }
    case 'tool.call': {
      const units = data.decimal('units', { allowNumber: true });
      const unit = data.optionalString('unit');
      if (units && !unit) throw new Violation('data.unit', 'required when units is set');
      if (unit && !units) throw new Violation('data.units', 'required when unit is set');
      return {
        case: 'toolCall',
        value: {
          $typeName: 'finops.v1.ToolCall',
          tool: data.string('tool'),
          vendor: data.optionalString('vendor'),
          cost: data.decimal('cost'),
          units,
          unit,
          latencyMs: data.optionalCount('latencyMs'),
          status: enumField(data, 'status', CALL_STATUS, false) ?? CallStatus.OK,
          attempt: data.integerAtLeast('attempt', 1) ?? 1,
          retryOf: data.optionalString('retryOf'),
        },
      };
    }
    case 'run.started':
      return { case: 'runStarted', value: { $typeName: 'finops.v1.RunStarted', trigger: data.optionalString('trigger', LIMITS.textLength) } };
    case 'run.finished':
      return {
        case: 'runFinished',
        value: { $typeName: 'finops.v1.RunFinished', status: enumField(data, 'status', RUN_STATUS, true)!, durationMs: data.optionalCount('durationMs') },
      };
    case 'outcome.recorded': {
      const quantity = data.decimal('quantity', { allowNumber: true }) || '1';
      const timeSaved = data.finiteNumber('timeSavedMinutes', false);
      if (timeSaved !== undefined && timeSaved < 0) throw new Violation('data.timeSavedMinutes', 'must not be negative');
      return {
        case: 'outcomeRecorded',
        value: {
          $typeName: 'finops.v1.OutcomeRecorded',
          outcome: data.string('outcome'),
          success: data.boolean('success') ?? true,
          quantity,
          value: data.decimal('value'),
          timeSavedMinutes: timeSaved,
        },
      };
    }
    case 'evaluation.scored':
      return {
        case: 'evaluationScored',
        value: {
          $typeName: 'finops.v1.EvaluationScored',
          evaluator: data.string('evaluator'),
          metric: data.string('metric'),
          score: data.finiteNumber('score', true)!,
          passed: data.boolean('passed'),
        },
      };
    case 'saas.usage': {
      const periodStart = data.instant('periodStart', true)!;
      const periodEnd = data.instant('periodEnd', true)!;
      if (periodEnd < periodStart) throw new Violation('data.periodEnd', 'must not be before periodStart');
      return {
        case: 'saasUsage',
        value: {
          $typeName: 'finops.v1.SaasUsage',
          vendor: data.string('vendor'),
          product: data.string('product'),
          quantity: data.decimal('quantity', { required: true, allowNumber: true }),
          unit: data.string('unit'),
          periodStart: periodStart.toISOString(),
          periodEnd: periodEnd.toISOString(),
          cost: data.decimal('cost'),
        },
      };
    }
    case 'agent.registered': {
      return {
        case: 'agentRegistered',
        value: {
          $typeName: 'finops.v1.AgentRegistered',
          name: data.optionalString('name'),
          team: data.optionalString('team'),
          owner: data.optionalString('owner'),
          platform: enumField(data, 'platform', PLATFORM, false) ?? AgentPlatform.UNSPECIFIED,
          vendor: data.optionalString('vendor'),
          workflows: data.strings('workflows'),
          description: data.optionalString('description', LIMITS.textLength),
          lifecycle: enumField(data, 'lifecycle', LIFECYCLE, false) ?? AgentLifecycle.UNSPECIFIED,
        },
      };
    }
    default: {
      const unexpected: never = type;
      throw new Violation('type', `unsupported ${String(unexpected)}`);
    }
  }
}

/** Envelope members beyond the contract's must be CloudEvents extension attributes with scalar values. */
function checkExtensions(envelope: Fields): void {
  const extensions = envelope.keys().filter((key) => !ENVELOPE_FIELDS.has(key));
  if (extensions.length > MAX_EXTENSIONS) throw new Violation('envelope', `at most ${MAX_EXTENSIONS} extension attributes`);
  for (const name of extensions) {
    if (!EXTENSION_NAME.test(name)) throw new Violation(envelope.at(name), 'unknown attribute (extensions must match [a-z0-9]{1,20})');
    envelope.scalar(name);
  }
  if (envelope.has('dataschema')) envelope.string('dataschema', LIMITS.textLength);
  if (envelope.has('subject')) envelope.string('subject', LIMITS.nameLength);
}
