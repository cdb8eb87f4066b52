import { headers as natsHeaders } from '@nats-io/transport-node';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { factCodec, toTimestamp, typeToken, type CanonicalFact, type CanonicalFactSchema, type EventType } from '@agentledger/contracts';
import { subjects, type Namespace } from '@agentledger/jetstream';

/** Fact fields as `create` takes them (nested messages without `$typeName`). */
type FactInit = MessageInitShape<typeof CanonicalFactSchema>;
type Payload = FactInit['payload'];
type CommonInit = NonNullable<FactInit['common']>;

/** A canonical fact as ingestion publishes it, from source `agent://test` (the source of test costs too). */
export function fact(tenant: string, id: string, type: EventType, time: string, common: CommonInit, payload: Payload): CanonicalFact {
  return factCodec.create({
    schemaVersion: 1,
    tenant,
    eventId: id,
    source: 'agent://test',
    type,
    time: toTimestamp(new Date(time)),
    receivedAt: toTimestamp(new Date(time)),
    channel: 'nats',
    common: { environment: 'production', ...common },
    payload,
  });
}

export function factMessage(ns: Namespace, value: CanonicalFact, msgID = `${value.tenant}|${value.source}|${value.eventId}`) {
  const headers = natsHeaders();
  headers.set('Content-Type', factCodec.contentType);
  return { subject: subjects.fact(ns, value.tenant, typeToken(value.type as EventType)), payload: factCodec.encode(value), options: { msgID, headers } };
}
