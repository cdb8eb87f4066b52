import type { JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { ConcurrencyError, STREAMS, streamIn, subjectIn, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import type { DefaultCatalog } from '@agentledger/model-pricing';

/** A default catalog version taken into use: recorded on the price stream so no price change is silent. */
export interface CatalogImportedEvent {
  readonly type: 'CatalogImported';
  readonly data: {
    readonly version: string;
    readonly packageVersion: string;
    readonly dataHash: string;
    readonly modelCount: number;
    readonly previousVersion: string;
  };
  readonly metadata: { readonly importedAt: Date };
}

/**
 * The catalog's own subject on the price stream. "~" is outside the tenant alphabet
 * ([A-Za-z0-9_-]), so no tenant's price aggregate can ever share it.
 */
export const catalogSubject = (ns: Namespace) => subjectIn(ns, 'finops.prices.~catalog.default.imported');

/** JSON on the wire (no proto message for it yet), announced by its content type. */
export const CATALOG_IMPORTED_CONTENT_TYPE = 'application/json; messageType=finops.v1.CatalogImported';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function catalogImportedToWire(event: CatalogImportedEvent): Uint8Array {
  return encoder.encode(JSON.stringify({ schemaVersion: 1, ...event.data, importedAt: event.metadata.importedAt.toISOString() }));
}

export function catalogImportedFromWire(bytes: Uint8Array): CatalogImportedEvent {
  const wire = JSON.parse(decoder.decode(bytes)) as Record<string, unknown>;
  const text = (key: string) => {
    const value = wire[key];
    if (typeof value !== 'string') throw new Error(`CatalogImported.${key} missing`);
    return value;
  };
  const importedAt = new Date(text('importedAt'));
  if (Number.isNaN(importedAt.getTime())) throw new Error('CatalogImported.importedAt invalid');
  return {
    type: 'CatalogImported',
    data: {
      version: text('version'),
      packageVersion: text('packageVersion'),
      dataHash: text('dataHash'),
      modelCount: Number(wire.modelCount ?? 0),
      previousVersion: typeof wire.previousVersion === 'string' ? wire.previousVersion : '',
    },
    metadata: { importedAt },
  };
}

export interface CatalogImportDeps {
  readonly jsm: JetStreamManager;
  readonly publisher: JetStreamPublisher;
  readonly ns: Namespace;
  readonly clock: () => Date;
}

/**
 * At start-up: if the installed package's catalog differs from the last one recorded, append a
 * CatalogImported event (optimistic concurrency on the catalog subject, so replicas starting
 * together record it once). Returns the event appended, or undefined when already recorded.
 */
export async function recordCatalogVersion(deps: CatalogImportDeps, catalog: DefaultCatalog): Promise<CatalogImportedEvent | undefined> {
  const stream = streamIn(deps.ns, STREAMS.prices.name);
  const subject = catalogSubject(deps.ns);
  for (let attempt = 1; ; attempt++) {
    const last = await deps.jsm.streams.getMessage(stream, { last_by_subj: subject });
    const previous = last ? catalogImportedFromWire(last.data) : undefined;
    if (previous?.data.version === catalog.version) return undefined;
    const event: CatalogImportedEvent = {
      type: 'CatalogImported',
      data: {
        version: catalog.version,
        packageVersion: catalog.packageVersion,
        dataHash: catalog.dataHash,
        modelCount: catalog.modelCount,
        previousVersion: previous?.data.version ?? '',
      },
      metadata: { importedAt: deps.clock() },
    };
    const headers = natsHeaders();
    headers.set('Content-Type', CATALOG_IMPORTED_CONTENT_TYPE);
    try {
      await deps.publisher.publish(subject, catalogImportedToWire(event), { expectLastSubjectSequence: last?.seq ?? 0, headers });
      return event;
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= 5) throw error;
    }
  }
}
