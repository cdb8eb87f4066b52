import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface NatsConnectOptions {
  readonly url: string;
  /** Client name shown by the server (service name). */
  readonly name: string;
}

/** A connection tuned for throughput: without async traces the client skips two stack traces per publish. */
export async function connectToNats(options: NatsConnectOptions): Promise<NatsConnection> {
  return connect({
    servers: options.url,
    name: options.name,
    noAsyncTraces: true,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
  });
}
