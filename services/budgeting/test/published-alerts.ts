import type { AlertView } from '@agentledger/contracts';
import { STREAMS, streamIn } from '@agentledger/jetstream';
import type { TestBus } from '@agentledger/testing';

export interface PublishedAlert {
  readonly type: string;
  readonly id: string;
  readonly data: AlertView;
}

/** The CloudEvents on the test namespace's FINOPS_ALERTS, in order, as a subscriber would read them. */
export async function publishedAlerts(bus: TestBus): Promise<PublishedAlert[]> {
  const stream = streamIn(bus.ns, STREAMS.alerts.name);
  const count = (await bus.jsm.streams.info(stream)).state.messages;
  const alerts: PublishedAlert[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const message = await bus.jsm.streams.getMessage(stream, { seq });
    if (message) alerts.push(JSON.parse(new TextDecoder().decode(message.data)));
  }
  return alerts;
}
