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
  /** Byte limits by stream name (without namespace), overriding the topology's (`STREAM_MAX_BYTES`). */
  readonly maxBytes?: Readonly<Record<string, number>>;
}

const STREAM_NAME_IN_USE = 10058;
const CONSUMER_ALREADY_EXISTS = 10148;
const INSUFFICIENT_RESOURCES = 10047;

/** A stream's byte limit: the override for its name, else the topology's. */
export function streamMaxBytes(spec: StreamSpec, options: ProvisionOptions = {}): number {
  return options.maxBytes?.[spec.name] ?? spec.maxBytes;
}

export function streamConfig(ns: Namespace, spec: StreamSpec, options: ProvisionOptions = {}): Partial<StreamConfig> & { name: string } {
  return {
    name: streamIn(ns, spec.name),
    subjects: spec.subjects.map((subject) => subjectIn(ns, subject)),
    description: spec.description,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: spec.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
    max_bytes: streamMaxBytes(spec, options),
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

/**
 * Creates or updates every stream (an existing stream takes the topology's limits and discard
 * policy); safe to run from every replica of every service at once. Returns what deserves a
 * warning: a limit not lowered under what a stream already holds, since JetStream would delete
 * its oldest messages to fit, and the log of record is never cut that way.
 */
export async function provisionStreams(
  jsm: JetStreamManager,
  ns: Namespace,
  specs: readonly StreamSpec[],
  options: ProvisionOptions = {},
): Promise<string[]> {
  const warnings: string[] = [];
  for (const spec of specs) {
    const config = streamConfig(ns, spec, options);
    try {
      try {
        await jsm.streams.add(config);
      } catch (error) {
        if (!(error instanceof JetStreamApiError) || error.code !== STREAM_NAME_IN_USE) throw error;
        const stored = (await jsm.streams.info(config.name)).state.bytes;
        const limit = config.max_bytes!;
        if (stored >= limit) {
          // Room for as much again: a stream over its limit would refuse (or drop) at once.
          config.max_bytes = stored + limit;
          warnings.push(`${config.name} holds ${stored} bytes, at or above its limit of ${limit}: kept at ${config.max_bytes} instead; raise STREAM_MAX_BYTES for ${spec.name}`);
        }
        await jsm.streams.update(config.name, config);
      }
    } catch (error) {
      if (error instanceof JetStreamApiError && error.code === INSUFFICIENT_RESOURCES) {
        throw new Error(
          `JetStream cannot reserve ${config.max_bytes} bytes for ${config.name} (insufficient storage resources): lower its limit with STREAM_MAX_BYTES or give the server more storage (max_file_store)`,
          { cause: error },
        );
      }
      throw error;
    }
  }
  return warnings;
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
