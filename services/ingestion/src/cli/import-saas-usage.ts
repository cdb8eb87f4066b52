#!/usr/bin/env node
// Imports a third-party agent's usage export (CSV or JSON) as `saas.usage` events:
//   node services/ingestion/dist/cli/import-saas-usage.js <file> --tenant acme [--nats nats://127.0.0.1:4222]
// Events go as batches to finops.in.<tenant>.batch with a JetStream ack; re-importing a file changes nothing.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { connectToNats, JetStreamPublisher, namespaceFor, natsCredentialsFromEnv, subjects } from '@agentledger/jetstream';
import { formatOf, saasUsageEvent, saasUsageRows } from '../saas-usage/saas-usage-rows.js';

const CHUNK = 500;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { tenant: { type: 'string' }, nats: { type: 'string' }, format: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || !values.tenant || !/^[A-Za-z0-9_-]{1,64}$/.test(values.tenant)) {
    process.stderr.write('usage: import-saas-usage <file.csv|file.json> --tenant <tenant> [--nats <url>] [--format csv|json]\n');
    return 2;
  }
  const importedAt = new Date();
  const events = saasUsageRows(readFileSync(file), values.format === 'csv' || values.format === 'json' ? values.format : formatOf(file)).map((row) => saasUsageEvent(row, importedAt));
  // On a server with authorization: the tenant's agent credential (`agent-<tenant>.env`) or ingestion's.
  const nc = await connectToNats({ url: values.nats ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'import-saas-usage', ...natsCredentialsFromEnv(process.env) });
  try {
    const publisher = new JetStreamPublisher(jetstream(nc));
    const subject = subjects.rawEvent(namespaceFor(process.env.FINOPS_NAMESPACE ?? ''), values.tenant, 'batch');
    for (let start = 0; start < events.length; start += CHUNK) {
      const headers = natsHeaders();
      headers.set('Content-Type', 'application/cloudevents-batch+json');
      headers.set('AgentLedger-Channel', 'saas-import');
      await publisher.publish(subject, new TextEncoder().encode(JSON.stringify(events.slice(start, start + CHUNK))), { headers });
    }
    process.stdout.write(`${events.length} saas.usage events from ${file} published to ${subject} (invalid rows are dead-lettered with their reason)\n`);
    return 0;
  } finally {
    await nc.drain();
  }
}

process.exitCode = await main();
