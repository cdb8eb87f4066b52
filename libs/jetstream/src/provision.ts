import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { streamIn, subjectIn, type Namespace } from './namespace.js';
import type { ConsumerSpec, StreamSpec } from './topology.js';

export interface ProvisionOptions {
  /** R3 in a cluster, R1 on a single server. */
  readonly replicas?: number;
}

const STREAM_NAME_IN_USE = 10058;
const CONSUMER_ALREADY_EXISTS = 10148;

export function streamConfig(ns: Namespace, spec: StreamSpec, options: ProvisionOptions = {}): Partial<StreamConfig> & { name: string } {
  return {
    name: streamIn(ns, spec.name),
    subjects: spec.subjects.map((subject) => subjectIn(ns, subject)),
    description: spec.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: spec.maxAgeNs,
    duplicate_window: spec.duplicateWindowNs,
    num_replicas: options.replicas ?? 1,
  };
}

export function consumerConfig(ns: Namespace, spec: ConsumerSpec): Partial<ConsumerConfig> & { durable_name: string } {
  return {
    durable_name: spec.durable,
    description: spec.description,
    filter_subject: subjectIn(ns, spec.filterSubject),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: spec.ackWaitNs,
    // Redelivery limits are ours: the batch consumer dead-letters past `spec.maxDeliver`,
    // so the server never drops a message silently.
    max_deliver: -1,
    max_ack_pending: spec.maxAckPending,
  };
}

/** Creates or updates every stream; safe to run from every replica of every service at once. */
export async function provisionStreams(
  jsm: JetStreamManager,
  ns: Namespace,
  specs: readonly StreamSpec[],
  options: ProvisionOptions = {},
): Promise<void> {
  for (const spec of specs) {
    const config = streamConfig(ns, spec, options);
    try {
      await jsm.streams.add(config);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NAME_IN_USE) throw error;
      await jsm.streams.update(config.name, config);
    }
  }
}

/** Creates or updates durable pull consumers (their streams must exist). */
export async function provisionConsumers(jsm: JetStreamManager, ns: Namespace, specs: readonly ConsumerSpec[]): Promise<void> {
  for (const spec of specs) {
    const stream = streamIn(ns, spec.stream);
    const config = consumerConfig(ns, spec);
    try {
      await jsm.consumers.add(stream, config);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || error.code !== CONSUMER_ALREADY_EXISTS) throw error;
      await jsm.consumers.update(stream, spec.durable, config);
    }
  }
}

/** Deletes and recreates a durable consumer so that it delivers its stream from the start again. */
export async function resetConsumer(jsm: JetStreamManager, ns: Namespace, spec: ConsumerSpec): Promise<void> {
  const stream = streamIn(ns, spec.stream);
  try {
    await jsm.consumers.delete(stream, spec.durable);
  } catch (error) {
    if (!(error instanceof JetStreamApiError) || error.status !== 404) throw error;
  }
  await provisionConsumers(jsm, ns, [spec]);
}
