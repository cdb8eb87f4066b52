#!/usr/bin/env node
// Puts a tenant's dead letters back through intake, by id or by filter, and prints what happened:
//   node services/ingestion/dist/cli/redrive-dead-letters.js --tenant acme --id 12 --id 15
//   node services/ingestion/dist/cli/redrive-dead-letters.js --tenant acme --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z [--reason text] [--subject s]
// Reads the dead letters from ingestion's schema (DATABASE_URL, DATABASE_SCHEMA, default "ingestion") and publishes
// to NATS_URL. Redriving twice changes nothing: intake's dedupe ledger counts an event once.
import { parseArgs } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { checkArgs, describeIssues, redriveDeadLettersCommand } from '@agentledger/contracts';
import { connectToNats, JetStreamPublisher, namespaceFor } from '@agentledger/jetstream';
import { prismaAdapter } from '@agentledger/service-kit';
import { PrismaClient } from '../generated/prisma/client.js';
import { redriveDeadLetters } from '../dead-letters/redrive.js';

const USAGE =
  'usage: redrive-dead-letters --tenant <tenant> (--id <id>... | --from <RFC 3339> --to <RFC 3339> [--reason <text>] [--subject <subject>]) [--nats <url>]\n';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      id: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      reason: { type: 'string' },
      subject: { type: 'string' },
      nats: { type: 'string' },
    },
  });
  const databaseUrl = process.env.DATABASE_URL;
  if (!values.tenant || !/^[A-Za-z0-9_-]{1,64}$/.test(values.tenant) || !databaseUrl) {
    process.stderr.write(`${USAGE}${databaseUrl ? '' : 'DATABASE_URL must name the database ingestion uses\n'}`);
    return 2;
  }
  const checked = checkArgs(redriveDeadLettersCommand, {
    ...(values.id ? { ids: values.id } : {}),
    ...(values.from ? { from: values.from } : {}),
    ...(values.to ? { to: values.to } : {}),
    ...(values.reason ? { reason: values.reason } : {}),
    ...(values.subject ? { subject: values.subject } : {}),
  });
  if (!checked.ok) {
    process.stderr.write(`${describeIssues(checked.issues)}\n${USAGE}`);
    return 2;
  }
  const db = new PrismaClient({ adapter: prismaAdapter({ connectionString: databaseUrl, schema: process.env.DATABASE_SCHEMA || 'ingestion', poolSize: 2 }) });
  const nc = await connectToNats({ url: values.nats ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'redrive-dead-letters' });
  try {
    const ns = namespaceFor(process.env.FINOPS_NAMESPACE ?? '');
    const report = await redriveDeadLetters({ db, ns, publisher: new JetStreamPublisher(jetstream(nc)) }, values.tenant, checked.args);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stderr.write(
      `${report.selected} selected: ${report.redriven} redriven, ${report.alreadyCounted} already counted, ${report.rejected} rejected again\n`,
    );
    return 0;
  } finally {
    await nc.drain();
    await db.$disconnect();
  }
}

process.exitCode = await main();
