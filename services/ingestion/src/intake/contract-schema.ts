import type { DescEnum, DescField, DescMessage } from '@bufbuild/protobuf';
import { CloudEventSchema, EventDataSchema } from '@agentledger/contracts';

/**
 * What the proto contract (`proto/finops/v1/agent_events.proto`) allows, read from its
 * generated descriptors: the one source of truth for field names, event types and enum words.
 * Only cross-field rules (usage consistency, unit/units, periods) are hand-written.
 */
export interface PayloadShape {
  /** `llm.call` */
  readonly type: string;
  /** The `EventData.payload` oneof case, e.g. `llmCall`. */
  readonly case: string;
  readonly message: DescMessage;
  /** JSON names allowed in `data`: the common fields and those of the type. */
  readonly dataFields: ReadonlySet<string>;
}

const payloadOneof = EventDataSchema.oneofs.find((oneof) => oneof.name === 'payload');
if (!payloadOneof) throw new Error('finops.v1.EventData has no payload oneof');
const commonField = EventDataSchema.fields.find((field) => field.name === 'common');
if (!commonField?.message) throw new Error('finops.v1.EventData has no common message');

const jsonNames = (message: DescMessage): string[] => message.fields.map((field) => field.jsonName);
const COMMON_FIELDS = jsonNames(commonField.message);

/** `llm_call` → `llm.call`: the oneof member names the event type. */
const typeOfField = (field: DescField): string => field.name.replace('_', '.');

export const PAYLOADS: ReadonlyMap<string, PayloadShape> = new Map(
  payloadOneof.fields.map((field) => {
    if (!field.message) throw new Error(`EventData.${field.name} is not a message`);
    const shape: PayloadShape = {
      type: typeOfField(field),
      case: field.localName,
      message: field.message,
      dataFields: new Set([...COMMON_FIELDS, ...jsonNames(field.message)]),
    };
    return [shape.type, shape] as const;
  }),
);

/** Event types, in the order of the contract's oneof. */
export const CONTRACT_EVENT_TYPES: readonly string[] = [...PAYLOADS.keys()];

/** Envelope attributes of `finops.v1.CloudEvent` plus the optional CloudEvents 1.0 ones. */
export const ENVELOPE_FIELDS: ReadonlySet<string> = new Set([...jsonNames(CloudEventSchema), 'dataschema', 'subject']);
/** CloudEvents 1.0 extension attribute names (lower-case letters and digits, at most 20). */
export const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
export const MAX_EXTENSIONS = 16;

/** The JSON names allowed inside a nested message field of a payload (`usage`, `routing`). */
export function nestedFields(message: DescMessage, jsonName: string): ReadonlySet<string> {
  const field = message.fields.find((candidate) => candidate.jsonName === jsonName);
  if (!field?.message) throw new Error(`${message.typeName}.${jsonName} is not a message field`);
  return new Set(jsonNames(field.message));
}

/**
 * The JSON words of an enum: `CALL_STATUS_HANDED_OFF` → `handed_off` (the value name without the
 * enum's prefix, lower case); `UNSPECIFIED` is never a word an agent may send.
 */
export function enumWords<E extends number>(descriptor: DescEnum): ReadonlyMap<string, E> {
  const words = new Map<string, E>();
  for (const value of descriptor.values) {
    const word = value.localName.toLowerCase();
    if (value.number === 0) continue;
    words.set(word, value.number as E);
  }
  return words;
}

/** The enum of a payload field, e.g. `enumOf(LlmCall, 'status')`. */
export function enumOf(message: DescMessage, jsonName: string): DescEnum {
  const field = message.fields.find((candidate) => candidate.jsonName === jsonName);
  if (!field?.enum) throw new Error(`${message.typeName}.${jsonName} is not an enum field`);
  return field.enum;
}
