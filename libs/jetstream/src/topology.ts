import { streamIn, subjectIn, type Namespace } from './namespace.js';

const SECOND_NS = 1_000_000_000;
const MINUTE_NS = 60 * SECOND_NS;
const DAY_NS = 24 * 60 * MINUTE_NS;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface StreamSpec {
  /** Name without namespace prefix. */
  readonly name: string;
  /** Subjects without namespace prefix. */
  readonly subjects: readonly string[];
  /** Maximum age in nanoseconds; 0 keeps forever. */
  readonly maxAgeNs: number;
  /** JetStream's msgID duplicate window in nanoseconds (our projections dedupe forever anyway). */
  readonly duplicateWindowNs: number;
  /**
   * The stream's size limit in bytes, reserved on the server when the stream is created
   * (`STREAM_MAX_BYTES` overrides it per stream). Every stream has one: storage never fills by surprise.
   */
  readonly maxBytes: number;
  /**
   * What JetStream does at the limit: `new` refuses the publish (the publisher gets an error and
   * retries; history is never lost), `old` drops the oldest messages (only where they are
   * disposable once consumed, or kept elsewhere).
   */
  readonly discard: 'new' | 'old';
  readonly description: string;
}

export interface ConsumerSpec {
  readonly stream: string;
  readonly durable: string;
  /** Without namespace prefix. */
  readonly filterSubject: string;
  readonly ackWaitNs: number;
  /** After this many deliveries a message is dead-lettered. */
  readonly maxDeliver: number;
  readonly maxAckPending: number;
  /**
   * Messages the client pulls ahead of the batch in hand (default: two batches). Streams of
   * bundles set it low: a bundle holds up to 64 KiB of events, so two batches' worth of
   * messages would be tens of megabytes waiting in memory.
   */
  readonly pullAhead?: number;
  readonly description: string;
}

/**
 * The streams of the event-sourced system (ARCHITECTURE.md §2), in one place. Their byte limits
 * are a development default (3 GiB in all, which JetStream reserves up front); size them for
 * production with `STREAM_MAX_BYTES` (docs/architecture.md, "Streams, retention and limits").
 */
export const STREAMS = {
  in: {
    name: 'FINOPS_IN',
    subjects: ['finops.in.>'],
    maxAgeNs: 7 * DAY_NS,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 512 * MiB,
    // Consumed raw events are facts already: the oldest go first. Refusing new ones would stop
    // intake after a week of ordinary traffic; the limit is the buffer for an ingestion outage.
    discard: 'old',
    description: 'Raw agent events as published; buffers them while ingestion is down.',
  },
  facts: {
    name: 'FINOPS_FACTS',
    subjects: ['finops.facts.>'],
    maxAgeNs: 0,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 1 * GiB,
    discard: 'new',
    description: 'Canonical facts: validated, deduplicated agent events. The log of record.',
  },
  costs: {
    name: 'FINOPS_COSTS',
    subjects: ['finops.costs.>'],
    maxAgeNs: 0,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 1 * GiB,
    discard: 'new',
    description: 'Priced costs and re-pricing corrections.',
  },
  prices: {
    name: 'FINOPS_PRICES',
    subjects: ['finops.prices.>'],
    maxAgeNs: 0,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 64 * MiB,
    discard: 'new',
    description: 'Price catalog events, one subject per (tenant, provider, model) aggregate.',
  },
  budgets: {
    name: 'FINOPS_BUDGETS',
    subjects: ['finops.budgets.>'],
    maxAgeNs: 0,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 64 * MiB,
    discard: 'new',
    description: 'Budget aggregate events.',
  },
  agents: {
    name: 'FINOPS_AGENTS',
    subjects: ['finops.agents.>'],
    maxAgeNs: 0,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 64 * MiB,
    discard: 'new',
    description: 'Agent inventory lifecycle events.',
  },
  alerts: {
    name: 'FINOPS_ALERTS',
    subjects: ['finops.alerts.>'],
    maxAgeNs: 90 * DAY_NS,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 64 * MiB,
    discard: 'old',
    description: 'Budget threshold and breach alerts.',
  },
  deadLetters: {
    name: 'FINOPS_DLQ',
    subjects: ['finops.dlq.>'],
    maxAgeNs: 30 * DAY_NS,
    duplicateWindowNs: 2 * MINUTE_NS,
    maxBytes: 256 * MiB,
    discard: 'old',
    description: 'Rejected messages with their reason and original bytes.',
  },
} as const satisfies Record<string, StreamSpec>;

/** Messages pulled ahead on the streams of bundles (facts, costs): about 6 MiB at most, thousands of events. */
export const BUNDLE_PULL_AHEAD = 100;
/**
 * Messages pulled ahead on the streams whose messages may be as large as the server's max payload
 * (1 MiB): raw intake (an agent's batch) and the dead letters (each carries the bytes it refused).
 * Two batches' worth (1,000) could hold a gigabyte after an outage; 128 hold at most 128 MiB
 * (6 MiB of the SDK's default 100-event batches) and still make batches of 128 events of agents
 * publishing one event per message.
 */
export const LARGE_MESSAGE_PULL_AHEAD = 128;

const consumer = (
  stream: StreamSpec,
  durable: string,
  filterSubject: string,
  description: string,
): ConsumerSpec => ({
  stream: stream.name,
  durable,
  filterSubject,
  ackWaitNs: 15 * SECOND_NS,
  maxDeliver: 10,
  maxAckPending: 20_000,
  ...(stream.name === STREAMS.facts.name || stream.name === STREAMS.costs.name ? { pullAhead: BUNDLE_PULL_AHEAD } : {}),
  ...(stream.name === STREAMS.in.name || stream.name === STREAMS.deadLetters.name ? { pullAhead: LARGE_MESSAGE_PULL_AHEAD } : {}),
  description,
});

/** Durable pull consumers, one per (service, input). Replicas of a service share them. */
export const CONSUMERS = {
  ingestion: consumer(STREAMS.in, 'ingestion', 'finops.in.>', 'ingestion: raw events → facts'),
  ingestionDeadLetters: consumer(STREAMS.deadLetters, 'ingestion-dead-letters', 'finops.dlq.>', 'ingestion: dead letters → queryable list'),
  pricingFacts: consumer(STREAMS.facts, 'pricing', 'finops.facts.>', 'pricing: usage facts → priced costs'),
  pricingCatalog: consumer(STREAMS.prices, 'pricing-catalog', 'finops.prices.>', 'pricing: price events → catalog'),
  attributionCosts: consumer(STREAMS.costs, 'attribution-costs', 'finops.costs.>', 'attribution: priced costs → rollups'),
  attributionFacts: consumer(STREAMS.facts, 'attribution-facts', 'finops.facts.>', 'attribution: facts → runs and outcomes'),
  budgetingSpend: consumer(STREAMS.costs, 'budgeting-spend', 'finops.costs.>', 'budgeting: priced costs → spend per quarter hour and scope'),
  budgetingBudgets: consumer(STREAMS.budgets, 'budgeting-budgets', 'finops.budgets.>', 'budgeting: budget events → the budgets read model'),
  budgetingPrices: consumer(STREAMS.prices, 'budgeting-prices', 'finops.prices.>', 'budgeting: price events → the prices that turn token estimates into money'),
  budgetingWebhooks: consumer(STREAMS.alerts, 'budgeting-webhooks', 'finops.alerts.>', "budgeting: alerts → deliveries to their budget's webhook"),
  inventoryActivity: consumer(STREAMS.facts, 'inventory-activity', 'finops.facts.>', "inventory: facts → each agent's activity, models, tools, workflows and registrations"),
  inventoryRegistrations: consumer(STREAMS.agents, 'inventory-registrations', 'finops.agents.*.agent.*', 'inventory: agent aggregate events (registerAgent) → the registrations read model'),
} as const satisfies Record<string, ConsumerSpec>;

export function allStreams(): StreamSpec[] {
  return Object.values(STREAMS);
}

/** Subject helpers, namespaced. */
export const subjects = {
  rawEvent: (ns: Namespace, tenant: string, typeToken: string) => subjectIn(ns, `finops.in.${tenant}.${typeToken}`),
  fact: (ns: Namespace, tenant: string, typeToken: string) => subjectIn(ns, `finops.facts.${tenant}.${typeToken}`),
  /** A bundle of a tenant's facts of any type (`bundle.ts`): how ingestion publishes them. */
  factBundle: (ns: Namespace, tenant: string) => subjectIn(ns, `finops.facts.${tenant}.bundle`),
  cost: (ns: Namespace, tenant: string, kind: 'priced' | 'correction') => subjectIn(ns, `finops.costs.${tenant}.${kind}`),
  alert: (ns: Namespace, tenant: string) => subjectIn(ns, `finops.alerts.${tenant}`),
  /** Pre-call checks and releases (request/reply): one token per tenant, `*` to serve them all. */
  controlCheck: (ns: Namespace, tenant: string) => subjectIn(ns, `finops.control.check.${tenant}`),
  controlRelease: (ns: Namespace, tenant: string) => subjectIn(ns, `finops.control.release.${tenant}`),
  budget: (ns: Namespace, tenant: string, budgetIdToken: string) => subjectIn(ns, `finops.budgets.${tenant}.${budgetIdToken}`),
  price: (ns: Namespace, tenant: string, providerToken: string, modelToken: string) =>
    subjectIn(ns, `finops.prices.${tenant}.${providerToken}.${modelToken}`),
  /** An agent aggregate (registerAgent), one subject per (tenant, agent). */
  agent: (ns: Namespace, tenant: string, agentIdToken: string) => subjectIn(ns, `finops.agents.${tenant}.agent.${agentIdToken}`),
  /** The inventory's lifecycle events: `discovered`, `registered`, `retired`. */
  agentLifecycle: (ns: Namespace, tenant: string, kind: 'discovered' | 'registered' | 'retired') => subjectIn(ns, `finops.agents.${tenant}.lifecycle.${kind}`),
  deadLetter: (ns: Namespace, tenant: string, service: string) => subjectIn(ns, `finops.dlq.${tenant || '_'}.${service}`),
  query: (ns: Namespace, service: string, query: string) => subjectIn(ns, `finops.query.${service}.${query}`),
  command: (ns: Namespace, service: string, command: string) => subjectIn(ns, `finops.command.${service}.${command}`),
  stream: (ns: Namespace, spec: StreamSpec | ConsumerSpec) => streamIn(ns, 'name' in spec ? spec.name : spec.stream),
};
