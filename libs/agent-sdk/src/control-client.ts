import { ClosedConnectionError, NoRespondersError, RequestError, TimeoutError, type NatsConnection } from '@nats-io/transport-node';
import { checkBody, ControlPlaneUnavailable, fallbackReply, parseCheckReply, parseReleaseReply, newSpanId, type CheckReply, type CheckRequest, type CheckScope } from './check.js';

/** What a check does when no control plane answers: 'throw' (ControlPlaneUnavailable), or decide 'allow' / 'block' itself. */
export type OnUnavailable = 'allow' | 'block' | 'throw';

export interface ControlClientOptions {
  nc: NatsConnection;
  tenant: string;
  subjectPrefix: string;
  defaults: CheckScope;
  timeoutMs: number;
  onUnavailable: OnUnavailable;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A request that got no answer at all (as opposed to an answer that is an error). */
function unanswered(error: unknown): boolean {
  return error instanceof TimeoutError || error instanceof NoRespondersError || error instanceof ClosedConnectionError || (error instanceof RequestError && (error.isNoResponders() || error.cause instanceof TimeoutError));
}

/** CONTRACT part D's control requests, request/reply on `finops.control.{check,release}.<tenant>`. */
export class ControlClient {
  constructor(private readonly options: ControlClientOptions) {}

  async check(request: CheckRequest): Promise<CheckReply> {
    const spanId = request.spanId ?? newSpanId();
    const body = checkBody(this.options.defaults, request, spanId);
    const subject = `${this.options.subjectPrefix}finops.control.check.${this.options.tenant}`;
    let answer: string;
    try {
      answer = await this.request(subject, body);
    } catch (error) {
      if (!unanswered(error)) throw error;
      if (this.options.onUnavailable === 'throw') throw new ControlPlaneUnavailable(subject, { cause: error });
      return fallbackReply(this.options.onUnavailable === 'allow' ? 'ALLOW' : 'BLOCK', spanId);
    }
    return parseCheckReply(subject, answer, spanId);
  }

  async release(reservationId: string): Promise<{ released: boolean }> {
    if (typeof reservationId !== 'string' || reservationId === '') throw new Error('release: reservationId is required');
    const subject = `${this.options.subjectPrefix}finops.control.release.${this.options.tenant}`;
    try {
      return parseReleaseReply(subject, await this.request(subject, { reservationId }));
    } catch (error) {
      if (unanswered(error)) throw new ControlPlaneUnavailable(subject, { cause: error });
      throw error;
    }
  }

  private async request(subject: string, body: unknown): Promise<string> {
    const msg = await this.options.nc.request(subject, encoder.encode(JSON.stringify(body)), { timeout: this.options.timeoutMs });
    return decoder.decode(msg.data);
  }
}
