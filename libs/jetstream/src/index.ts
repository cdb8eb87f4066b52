export { connectToNats, credentialOptions, natsCredentialsFromEnv, serviceInboxPrefix, agentInboxPrefix, type NatsConnectOptions, type NatsCredentials } from './connection.js';
export { ROOT_NAMESPACE, namespaceFor, subjectIn, streamIn, subjectWithin, type Namespace } from './namespace.js';
export { encodeSubjectToken, decodeSubjectToken } from './subject-token.js';
export { STREAMS, CONSUMERS, allStreams, subjects, type StreamSpec, type ConsumerSpec } from './topology.js';
export { provisionStreams, provisionConsumers, resetConsumer, streamConfig, streamMaxBytes, consumerConfig, type ProvisionOptions } from './provision.js';
export { parseStreamMaxBytes } from './stream-limits.js';
export { JetStreamPublisher, ConcurrencyError, type PublishOptions, type PublishObserver, type RetryPolicy } from './publisher.js';
export { PermanentError, TransientError, classifyFailure, isTransient, isUnavailable, isPermanent, describeError, type FailureKind } from './errors.js';
export {
  DeadLetterPublisher,
  rejectionOf,
  DEAD_LETTER_REASON_HEADER,
  DEAD_LETTER_ORIGINAL_BYTES_HEADER,
  DEFAULT_MAX_DEAD_LETTER_BYTES,
  type DeadLetterOptions,
  type Rejection,
} from './dead-letter.js';
export { BatchConsumer, tenantFromSubject, type BatchConsumerOptions, type Delivery, type ConsumerHooks, type ConsumerLogger } from './batch-consumer.js';
export { CONTROL_BUCKET, controlBucketIn, pauseKey, scopeOfPauseKey, openControlBucket, putControlKey, deleteControlKey, readControlKey } from './control-bucket.js';
export {
  BUNDLE_CONTENT_TYPE,
  BUNDLE_ITEM_TYPE_HEADER,
  BUNDLE_COUNT_HEADER,
  DEFAULT_BUNDLE_MAX_BYTES,
  bundleMessages,
  decodeBundle,
  encodeBundle,
  eventPayloads,
  headersOf,
  isBundle,
  openBundle,
  wholeMessage,
  type BundleItem,
  type BundleMessage,
} from './bundle.js';
