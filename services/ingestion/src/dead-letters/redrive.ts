import type { ArgsOf, CanonicalFact, RedriveRejectionView, RedriveReportView, redriveDeadLettersCommand } from '@agentledger/contracts';
import { MAX_REDRIVE } from '@agentledger/contracts';
import { PermanentError, subjects, type JetStreamPublisher, type Namespace } from '@agentledger/jetstream';
import { applyOnce, type SqlExecutor, type TransactionalDb } from '@agentledger/projections';
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import { DEDUPE_LEDGER, ledgerKeyOf } from '../intake/dedupe-ledger.js';
import { factMessages, readRawMessage } from '../intake/raw-intake.js';
import { addressOf } from '../intake/raw-message.js';

export type RedriveSelection = ArgsOf<typeof redriveDeadLettersCommand>;

export interface RedriveDeps {
  readonly db: PrismaClient;
  readonly ns: Namespace;
  readonly publisher: JetStreamPublisher;
}

/** The service whose rejections a redrive can put back: intake's, whose originals are raw events. */
const INTAKE_SERVICE = 'ingestion';

interface DeadLetterRow {
  readonly dlqSequence: bigint;
  readonly service: string;
  readonly reason: string;
  readonly subject: string;
  readonly receivedAt: Date;
  readonly headers: Prisma.JsonValue;
  readonly original: Uint8Array;
}

type Verdict = { readonly facts: CanonicalFact[]; readonly rejections: string[] };

/**
 * Puts the tenant's chosen dead letters back through intake: each original is validated again
 * exactly as intake validates it, and the events that pass are recorded in intake's one dedupe
 * ledger and published as facts in one transaction (as `RawIntake` does), so an event counts
 * once however often it is redriven, and not at all if it was counted before. Nothing is
 * dead-lettered again: a redrive only reports.
 */
export async function redriveDeadLetters(deps: RedriveDeps, tenant: string, selection: RedriveSelection): Promise<RedriveReportView> {
  const ids = await selectDeadLetters(deps.db, tenant, selection);
  const report: RedriveReportView = { selected: ids.length, redriven: 0, rejected: 0, alreadyCounted: 0, rejections: [] };
  // A page at a time: a dead letter keeps up to 512 KiB of original bytes.
  for (let start = 0; start < ids.length; start += PAGE) {
    const rows = await deps.db.deadLetter.findMany({
      where: { tenant, dlqSequence: { in: ids.slice(start, start + PAGE) } },
      orderBy: { dlqSequence: 'asc' },
      select: { dlqSequence: true, service: true, reason: true, subject: true, receivedAt: true, headers: true, original: true },
    });
    await redrivePage(deps, tenant, rows, report);
  }
  return report;
}

/** Dead letters read per transaction. */
const PAGE = 50;

async function redrivePage(deps: RedriveDeps, tenant: string, rows: readonly DeadLetterRow[], report: RedriveReportView): Promise<void> {
  const verdicts = rows.map((row) => ({ id: String(row.dlqSequence), verdict: revalidate(deps.ns, tenant, row) }));
  const keyed = verdicts.flatMap(({ verdict }) => verdict.facts.map((fact) => ({ key: ledgerKeyOf(fact), event: fact })));
  const fresh = new Set<string>();
  await applyOnce(deps.db as unknown as TransactionalDb<SqlExecutor>, DEDUPE_LEDGER, keyed, async (_tx, facts) => {
    for (const fact of facts) fresh.add(ledgerKeyOf(fact));
    // Inside the transaction, before commit: a failed publish rolls the ledger back, as intake does.
    await deps.publisher.publishAll(factMessages(deps.ns, facts));
  });
  for (const { id, verdict } of verdicts) {
    report.rejections.push(...verdict.rejections.map((reason): RedriveRejectionView => ({ id, reason })));
    if (verdict.facts.length === 0) report.rejected += 1;
    else if (verdict.facts.some((fact) => fresh.has(ledgerKeyOf(fact)))) report.redriven += 1;
    else report.alreadyCounted += 1;
  }
}

/** The ids of the tenant's dead letters the selection names, oldest first, at most MAX_REDRIVE. */
async function selectDeadLetters(db: PrismaClient, tenant: string, selection: RedriveSelection): Promise<bigint[]> {
  const where: Prisma.DeadLetterWhereInput = { tenant };
  if (selection.ids) where.dlqSequence = { in: selection.ids.map((id) => BigInt(id)) };
  if (selection.from !== undefined && selection.to !== undefined) where.receivedAt = { gte: new Date(selection.from), lt: new Date(selection.to) };
  if (selection.reason !== undefined) where.reason = { contains: selection.reason };
  if (selection.subject !== undefined) where.subject = selection.subject;
  const rows = await db.deadLetter.findMany({ where, orderBy: { dlqSequence: 'asc' }, take: MAX_REDRIVE, select: { dlqSequence: true } });
  return rows.map((row) => row.dlqSequence);
}

/** A dead letter's original as intake would read it now: the facts it holds, the reasons it fails. */
function revalidate(ns: Namespace, tenant: string, row: DeadLetterRow): Verdict {
  if (row.service !== INTAKE_SERVICE) return refused(`rejected by ${row.service}, not by intake: only intake's dead letters can be redriven`);
  if (/\[original truncated: /.test(row.reason)) return refused('its original was cut to fit the dead-letter stream and cannot be redriven');
  const { wrapped, ...message } = rawMessageOf(ns, tenant, row);
  try {
    const read = readRawMessage(ns, message, row.receivedAt);
    // One event sent as a batch of one: its reasons read as they did when it was first rejected.
    const reasonOf = (reason: string) => (wrapped ? reason.replace(/^events\[0\]\./, '') : reason);
    return { facts: read.facts, rejections: read.rejections.map((rejection) => reasonOf(rejection.reason)) };
  } catch (error) {
    if (error instanceof PermanentError) return refused(error.message);
    throw error;
  }
}

function refused(reason: string): Verdict {
  return { facts: [], rejections: [reason] };
}

/**
 * The raw message to validate again. A NATS rejection keeps its subject; one event of a batch
 * goes back as a batch of one. An HTTP port's rejection (subject "POST /v1/…") is one event of
 * that port's channel.
 */
function rawMessageOf(ns: Namespace, tenant: string, row: DeadLetterRow): { subject: string; data: Uint8Array; contentType?: string; channel?: string; wrapped: boolean } {
  const headers = headersOf(row.headers);
  let route: string | undefined;
  try {
    route = addressOf(ns, row.subject).route;
  } catch {
    route = undefined;
  }
  if (route !== undefined && route !== 'batch') {
    return { subject: row.subject, data: row.original, contentType: headers['content-type'], channel: headers['agentledger-channel'], wrapped: false };
  }
  const channel = route === 'batch' ? headers['agentledger-channel'] : channelOfOrigin(row.subject);
  const subject = route === 'batch' ? row.subject : subjects.rawEvent(ns, tenant, 'batch');
  const wrapped = !isJsonArray(row.original);
  return { subject, data: wrapped ? asBatchOfOne(row.original) : row.original, contentType: 'application/cloudevents-batch+json', channel, wrapped };
}

function channelOfOrigin(origin: string): string {
  if (origin.includes('/v1/traces')) return 'otlp';
  if (origin.includes('/v1/saas-usage')) return 'saas-import';
  return 'http';
}

function headersOf(json: Prisma.JsonValue): Record<string, string> {
  const found: Record<string, string> = {};
  if (json && typeof json === 'object' && !Array.isArray(json)) {
    for (const [name, values] of Object.entries(json)) {
      if (Array.isArray(values) && typeof values[0] === 'string') found[name.toLowerCase()] = values[0];
    }
  }
  return found;
}

function isJsonArray(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x5b; // [
  }
  return false;
}

function asBatchOfOne(element: Uint8Array): Uint8Array {
  const data = new Uint8Array(element.length + 2);
  data[0] = 0x5b;
  data.set(element, 1);
  data[element.length + 1] = 0x5d;
  return data;
}
