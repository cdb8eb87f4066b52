#!/usr/bin/env node
// Sets the sample's model prices through the gateway (setPrice), then publishes one support
// agent's run (support-run.json, the contract's example) to NATS exactly as an agent would:
// one CloudEvent per message on finops.in.<tenant>.<type>. Publishing it again changes
// nothing: events are deduplicated by (tenant, source, id) forever.
import { readFileSync, existsSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';

const here = (file) => new URL(file, import.meta.url);
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const gateway = `http://localhost:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
const keyFile = here('../../.data/dev-api-key');
const apiKey = process.env.AGENTLEDGER_API_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
const tenant = process.env.AGENTLEDGER_TENANT ?? 'dev';
if (!apiKey) {
  console.error('No API key: start the stack with `npm start` (it writes .data/dev-api-key), or set AGENTLEDGER_API_KEY and AGENTLEDGER_TENANT.');
  process.exit(1);
}

const prices = JSON.parse(readFileSync(here('prices.json'), 'utf8'));
for (const input of prices) {
  const response = await fetch(gateway, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ query: 'mutation($input: PriceInput!) { setPrice(input: $input) { provider model inputPer1M outputPer1M effectiveFrom } }', variables: { input } }),
  });
  const result = await response.json();
  if (result.errors) {
    console.error(`setPrice failed for ${input.model}:`, JSON.stringify(result.errors));
    process.exit(1);
  }
  console.log(`price set: ${input.provider}/${input.model} input ${input.inputPer1M}/1M, output ${input.outputPer1M}/1M`);
}

const events = JSON.parse(readFileSync(here('support-run.json'), 'utf8'));
const nc = await connect({ servers: natsUrl });
const encoder = new TextEncoder();
for (const event of events) {
  nc.publish(`finops.in.${tenant}.${event.type.replace('.', '_')}`, encoder.encode(JSON.stringify(event)));
}
await nc.flush();
await nc.close();
console.log(`published ${events.length} events for tenant "${tenant}" on finops.in.${tenant}.<type> (event time 2026-11-27)`);
console.log('expected costSummary.totalCost for 2026-11-27: "618.0604178" (3 LLM calls, 1 tool call, 1 SaaS usage)');
