/** Items a slow subscriber may have waiting before the oldest are dropped. */
export const MAX_QUEUED = 1_000;

/**
 * One feed for the whole gateway, fanned out to the subscribers of each item's tenant. Every
 * subscriber has its own bounded queue: a slow one loses its oldest items, never holds up the
 * feed or the others.
 */
export class TenantFanOut<T> {
  private readonly listeners = new Map<string, Set<(item: T) => void>>();

  constructor(private readonly maxQueued = MAX_QUEUED) {}

  /** Hands the item to every subscriber of the tenant, now. */
  publish(tenant: string, item: T): void {
    for (const listener of this.listeners.get(tenant) ?? []) listener(item);
  }

  /** The tenant's items from now on, until the returned iterator is closed. */
  subscribe(tenant: string): AsyncIterableIterator<T> {
    const queued: T[] = [];
    let waiting: ((result: IteratorResult<T>) => void) | undefined;
    let done = false;
    const listener = (item: T) => {
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: item, done: false });
        return;
      }
      queued.push(item);
      if (queued.length > this.maxQueued) queued.shift();
    };
    const tenantListeners = this.listeners.get(tenant) ?? new Set();
    tenantListeners.add(listener);
    this.listeners.set(tenant, tenantListeners);
    const close = async (): Promise<IteratorResult<T>> => {
      done = true;
      tenantListeners.delete(listener);
      if (tenantListeners.size === 0 && this.listeners.get(tenant) === tenantListeners) this.listeners.delete(tenant);
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
      return { value: undefined, done: true };
    };
    return {
      next: () => {
        if (done) return Promise.resolve({ value: undefined, done: true });
        if (queued.length > 0) return Promise.resolve({ value: queued.shift() as T, done: false });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: close,
      throw: async (error) => {
        await close();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Subscribers now listening to the tenant (for tests and metrics). */
  listening(tenant: string): number {
    return this.listeners.get(tenant)?.size ?? 0;
  }

  clear(): void {
    this.listeners.clear();
  }
}
