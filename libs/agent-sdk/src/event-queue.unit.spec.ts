import { cloudEvent, type CloudEvent } from './events.js';
import { EventQueue, QueueFull, type DropReason } from './event-queue.js';

const event = (id: string, note = ''): CloudEvent =>
  cloudEvent('outcome.recorded', { traceId: 't1', outcome: 'done', ...(note ? { attributes: { note } } : {}) } as never, { source: 'agent://bot', agentId: 'bot' }, { id, time: '2026-12-01T00:00:00Z' });
const bytesOf = (value: CloudEvent) => new TextEncoder().encode(JSON.stringify(value)).length;

describe('EventQueue', () => {
  it('drops the oldest waiting event when full (by count), counts it and says which', () => {
    const drops: Array<[DropReason, string]> = [];
    const queue = new EventQueue({ maxEvents: 2, maxBytes: 1 << 20, onFull: 'drop-oldest' }, (reason, dropped) => drops.push([reason, dropped.id]));
    for (const id of ['e1', 'e2', 'e3']) queue.push(event(id));
    expect(queue.length).toBe(2);
    expect(drops).toEqual([['queue_full', 'e1']]);
    expect(queue.dropped).toEqual({ queue_full: 1, oversize: 0 });
    expect(queue.peekBatch(10, 1 << 20)?.events.map((queued) => queued.id)).toEqual(['e2', 'e3']);
  });

  it('bounds bytes too, and never drops the batch being published', () => {
    const size = bytesOf(event('e1'));
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 2 * size, onFull: 'drop-oldest' });
    queue.push(event('e1'));
    queue.push(event('e2'));
    expect(queue.peekBatch(1, 1 << 20)?.events.map((queued) => queued.id)).toEqual(['e1']);
    queue.push(event('e3'));
    // e1 is in flight: e2, the oldest waiting, goes.
    queue.remove(1);
    expect(queue.peekBatch(10, 1 << 20)?.events.map((queued) => queued.id)).toEqual(['e3']);
    expect(queue.dropped.queue_full).toBe(1);
    expect(queue.queuedBytes).toBe(size);
  });

  it("under onFull 'throw' refuses the new event with QueueFull and keeps the others", () => {
    const queue = new EventQueue({ maxEvents: 1, maxBytes: 1 << 20, onFull: 'throw' });
    queue.push(event('e1'));
    expect(() => queue.push(event('e2'))).toThrow(QueueFull);
    expect(queue.peekBatch(10, 1 << 20)?.events.map((queued) => queued.id)).toEqual(['e1']);
  });

  it('cuts batches to fit the max payload (less room for headers), and drops an event no message can carry', () => {
    const drops: string[] = [];
    const queue = new EventQueue({ maxEvents: 100, maxBytes: 1 << 30, onFull: 'drop-oldest' }, (reason, dropped) => drops.push(`${reason}:${dropped.id}`));
    const big = 'x'.repeat(3_000);
    queue.push(event('huge', 'y'.repeat(20_000)));
    for (let i = 0; i < 10; i++) queue.push(event(`e${i}`, big));
    const maxPayload = 4 * 1024 + 10_000;
    const first = queue.peekBatch(100, maxPayload)!;
    expect(drops).toEqual(['oversize:huge']);
    expect(first.events.map((queued) => queued.id)).toEqual(['e0', 'e1', 'e2']);
    expect(first.payload.length).toBeLessThanOrEqual(10_000);
    expect(JSON.parse(new TextDecoder().decode(first.payload))).toHaveLength(3);
    queue.remove(3);
    expect(queue.peekBatch(2, maxPayload)!.events.map((queued) => queued.id)).toEqual(['e3', 'e4']);
  });
});
