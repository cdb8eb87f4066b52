import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate, type Timestamp } from '@bufbuild/protobuf/wkt';

/** Internal events travel as binary protobuf, announced by this content type. */
export function contentTypeOf(schema: DescMessage): string {
  return `application/x-protobuf; messageType=${schema.typeName}`;
}

export interface Codec<Desc extends DescMessage> {
  readonly schema: Desc;
  readonly contentType: string;
  create(init: MessageInitShape<Desc>): MessageShape<Desc>;
  encode(message: MessageShape<Desc>): Uint8Array;
  /** Throws on bytes that are not a valid message of this type. */
  decode(bytes: Uint8Array): MessageShape<Desc>;
}

export function codecFor<Desc extends DescMessage>(schema: Desc): Codec<Desc> {
  return {
    schema,
    contentType: contentTypeOf(schema),
    create: (init) => create(schema, init),
    encode: (message) => toBinary(schema, message),
    decode: (bytes) => fromBinary(schema, bytes),
  };
}

export function toTimestamp(date: Date): Timestamp {
  return timestampFromDate(date);
}

export function fromTimestamp(timestamp: Timestamp | undefined): Date {
  if (!timestamp) throw new Error('timestamp missing');
  return timestampDate(timestamp);
}
