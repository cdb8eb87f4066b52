export { connectToNats, type NatsConnectOptions } from './connection.js';
export { ROOT_NAMESPACE, namespaceFor, subjectIn, streamIn, subjectWithin, type Namespace } from './namespace.js';
export { encodeSubjectToken, decodeSubjectToken } from './subject-token.js';
export { STREAMS, CONSUMERS, allStreams, subjects, type StreamSpec, type ConsumerSpec } from './topology.js';
export { provisionStreams, provisionConsumers, resetConsumer, streamConfig, consumerConfig, type ProvisionOptions } from './provision.js';
export { JetStreamPublisher, ConcurrencyError, type PublishOptions, type RetryPolicy } from './publisher.js';
export { PermanentError, TransientError, isTransient, isPermanent, describeError } from './errors.js';
export { DeadLetterPublisher, rejectionOf, DEAD_LETTER_REASON_HEADER, type Rejection } from './dead-letter.js';
export { BatchConsumer, tenantFromSubject, type BatchConsumerOptions, type Delivery, type ConsumerHooks, type ConsumerLogger } from './batch-consumer.js';
