import {
  agentInboxPrefix,
  CONSUMERS,
  controlBucketIn,
  serviceInboxPrefix,
  STREAMS,
  streamIn,
  subjectIn,
  type ConsumerSpec,
  type Namespace,
  type StreamSpec,
} from '@agentledger/jetstream';

/** What one NATS user may publish and subscribe; everything else is denied. */
export interface Permissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** May answer the requests it receives (publish to their reply subjects, once each). */
  readonly allowResponses: boolean;
}

export const SERVICES = ['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

const API = '$JS.API';

/** A durable pull consumer of the service: create/update it with its own filter, read it, ack, reset it on rebuild. */
function durableRights(ns: Namespace, spec: ConsumerSpec): string[] {
  const stream = streamIn(ns, spec.stream);
  return [
    `${API}.CONSUMER.CREATE.${stream}.${spec.durable}.${subjectIn(ns, spec.filterSubject)}`,
    `${API}.CONSUMER.INFO.${stream}.${spec.durable}`,
    `${API}.CONSUMER.DELETE.${stream}.${spec.durable}`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.${spec.durable}`,
    `$JS.ACK.${stream}.${spec.durable}.>`,
  ];
}

/**
 * Reading a stream with ordered consumers (an aggregate's history, the alert feed, the control
 * bucket's keys): their names are random, so the consumer token is a wildcard.
 */
function orderedReaderRights(stream: string): string[] {
  return [
    `${API}.STREAM.INFO.${stream}`,
    `${API}.STREAM.MSG.GET.${stream}`,
    `${API}.CONSUMER.CREATE.${stream}.*`,
    `${API}.CONSUMER.CREATE.${stream}.*.>`,
    `${API}.CONSUMER.INFO.${stream}.*`,
    `${API}.CONSUMER.DELETE.${stream}.*`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.*`,
    `$JS.FC.${stream}.>`,
  ];
}

/**
 * Every service provisions the whole topology at start, idempotently: a create with the same
 * configuration is a no-op, a changed one is an update. So each may create and look up the
 * FINOPS streams — never delete or purge them — and update them unless an admin user does that.
 */
function provisioningRights(ns: Namespace, streamUpdates: boolean): string[] {
  const streams = Object.values(STREAMS).map((spec: StreamSpec) => streamIn(ns, spec.name));
  const rights = (stream: string) => [`${API}.STREAM.CREATE.${stream}`, ...(streamUpdates ? [`${API}.STREAM.UPDATE.${stream}`] : []), `${API}.STREAM.INFO.${stream}`];
  return [`${API}.INFO`, ...streams.flatMap(rights)];
}

/** The query and command subjects a service answers, in its queue group. */
const served = (ns: Namespace, service: string) => [subjectIn(ns, `finops.query.${service}.>`), subjectIn(ns, `finops.command.${service}.>`)];

const deadLetters = (ns: Namespace) => subjectIn(ns, 'finops.dlq.>');

interface ServiceRights {
  readonly publish: readonly string[];
  readonly subscribe?: readonly string[];
  readonly consumers?: readonly ConsumerSpec[];
  readonly orderedReads?: readonly string[];
  readonly answers: boolean;
}

/** What each service does on NATS, read off its wiring (main, projections, reactors, query handlers). */
function serviceRights(ns: Namespace, service: ServiceName): ServiceRights {
  const s = (subject: string) => subjectIn(ns, subject);
  const bucket = controlBucketIn(ns);
  switch (service) {
    case 'ingestion':
      // Its HTTP/OTLP intake publishes raw events for the tenant of the API key it checked.
      return {
        publish: [s('finops.in.>'), s('finops.facts.>'), deadLetters(ns)],
        consumers: [CONSUMERS.ingestion, CONSUMERS.ingestionDeadLetters],
        answers: true,
      };
    case 'pricing':
      return {
        publish: [s('finops.costs.>'), s('finops.prices.>'), deadLetters(ns)],
        consumers: [CONSUMERS.pricingFacts, CONSUMERS.pricingCatalog],
        orderedReads: [streamIn(ns, STREAMS.prices.name)],
        answers: true,
      };
    case 'attribution':
      return {
        publish: [s('finops.live.>'), deadLetters(ns)],
        consumers: [CONSUMERS.attributionCosts, CONSUMERS.attributionFacts],
        answers: true,
      };
    case 'budgeting':
      return {
        publish: [
          s('finops.budgets.>'),
          s('finops.alerts.>'),
          deadLetters(ns),
          `$KV.${bucket}.>`,
          // Opening the bucket looks it up and creates it when missing; it never updates it.
          `${API}.STREAM.CREATE.KV_${bucket}`,
        ],
        subscribe: [s('finops.control.check.*'), s('finops.control.release.*')],
        consumers: [CONSUMERS.budgetingSpend, CONSUMERS.budgetingBudgets, CONSUMERS.budgetingPrices, CONSUMERS.budgetingWebhooks],
        orderedReads: [streamIn(ns, STREAMS.budgets.name), `KV_${bucket}`],
        answers: true,
      };
    case 'inventory':
      return {
        publish: [s('finops.agents.>'), s('finops.alerts.>'), deadLetters(ns)],
        consumers: [CONSUMERS.inventoryActivity, CONSUMERS.inventoryRegistrations],
        orderedReads: [streamIn(ns, STREAMS.agents.name)],
        answers: true,
      };
    case 'gateway':
      // The only user that may ask queries and commands: the tenant in their body is the one
      // the gateway took from the API key.
      return {
        publish: [s('finops.query.>'), s('finops.command.>')],
        subscribe: [s('finops.live.*.spend')],
        orderedReads: [streamIn(ns, STREAMS.alerts.name)],
        answers: false,
      };
    default: {
      const unknown: never = service;
      throw new Error(`unknown service ${String(unknown)}`);
    }
  }
}

export interface ServicePermissionOptions {
  /** False when an admin user applies stream configuration changes (`--admin`): services only create. */
  readonly streamUpdates?: boolean;
}

export function servicePermissions(ns: Namespace, service: ServiceName, options: ServicePermissionOptions = {}): Permissions {
  const rights = serviceRights(ns, service);
  const publish = [
    ...rights.publish,
    ...provisioningRights(ns, options.streamUpdates ?? true),
    ...(rights.consumers ?? []).flatMap((spec) => durableRights(ns, spec)),
    ...(rights.orderedReads ?? []).flatMap(orderedReaderRights),
  ];
  const subscribe = [...(rights.subscribe ?? []), ...(rights.answers ? served(ns, service) : []), `${serviceInboxPrefix(service)}.>`];
  return { publish: unique(publish), subscribe: unique(subscribe), allowResponses: rights.answers || (rights.subscribe?.length ?? 0) > 0 };
}

/**
 * What an agent of `tenant` may do (CONTRACT parts A and D): publish its own events, ask its own
 * checks and releases, watch its own pause keys, hear its own alerts. `tenant` = '*' gives the
 * development identity of `npm start` (every tenant, the default `_INBOX` prefix), never more.
 */
export function agentPermissions(ns: Namespace, tenant: string): Permissions {
  const bucket = controlBucketIn(ns);
  const kvStream = `KV_${bucket}`;
  const allTenants = tenant === '*';
  const inbox = allTenants ? '_INBOX' : agentInboxPrefix(tenant);
  // A KV watch creates an ordered push consumer named at random, filtered on the keys watched;
  // the filter is part of the subject, so it can be pinned to the tenant's own keys.
  const pauseKeys = allTenants ? `$KV.${bucket}.paused.>` : `$KV.${bucket}.paused.${tenant}.>`;
  return {
    publish: [
      subjectIn(ns, `finops.in.${tenant}.>`),
      subjectIn(ns, `finops.control.check.${tenant}`),
      subjectIn(ns, `finops.control.release.${tenant}`),
      `${API}.CONSUMER.CREATE.${kvStream}.*.${pauseKeys}`,
      `${API}.CONSUMER.INFO.${kvStream}.*`,
      `$JS.FC.${kvStream}.>`,
    ],
    subscribe: [`${inbox}.>`, subjectIn(ns, `finops.alerts.${allTenants ? '>' : tenant}`)],
    allowResponses: false,
  };
}

/**
 * The operator's user (`--admin`): everything, for what no service may do — apply a changed
 * stream configuration after an upgrade, inspect or repair streams. Never given to a service.
 */
export const ADMIN_PERMISSIONS: Permissions = { publish: ['>'], subscribe: ['>'], allowResponses: false };

function unique(subjects: readonly string[]): string[] {
  return [...new Set(subjects)];
}
