export { CommandRejected, fold, type Decider, type RejectionKind } from './decider.js';
export { type AggregateStore, type AggregateHistory, type RecordedEvent } from './aggregate-store.js';
export { JetStreamAggregateStore, type EventCodec, type JetStreamAggregateStoreOptions } from './jetstream-aggregate-store.js';
export { handleCommand, type CommandResult, type HandleCommandOptions } from './handle-command.js';
