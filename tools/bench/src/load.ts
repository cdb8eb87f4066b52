import { readFileSync, existsSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';

// What both benchmarks share: a running stack (`npm start`), its gateway and dev key, and a
// loader publishing synthetic agent calls as an agent would (batches on finops.in.<tenant>.batch).

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const GATEWAY = `http://localhost:${process.env.GATEWAY_PORT ?? 4000}/graphql`;
export const TENANT = process.env.AGENTLEDGER_TENANT ?? 'dev';
const keyFile = new URL('../../../.data/dev-api-key', import.meta.url);
export const API_KEY = process.env.AGENTLEDGER_API_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '');

export async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(GATEWAY, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors || !body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Calls counted so far in [from, to): the pipeline's output, as a user sees it. */
export async function projectedCalls(from: string, to: string): Promise<number> {
  const { costSummary } = await graphql<{ costSummary: { llmCalls: number; toolCalls: number } }>(
    'query($from: DateTime!, $to: DateTime!) { costSummary(from: $from, to: $to) { llmCalls toolCalls } }',
    { from, to },
  );
  return costSummary.llmCalls + costSummary.toolCalls;
}

/** Fifty agents, as in the issue's load and `bench:all`: five kinds of work, ten of each. */
export const AGENTS = ['support-assistant', 'lead-qualifier', 'contract-summarizer', 'triage-bot', 'coder'].flatMap((kind) =>
  Array.from({ length: 10 }, (_, n) => `${kind}-${n + 1}`),
);
const MODELS = ['gpt-4o-mini', 'gpt-4o', 'claude-3-5-haiku'];

/** Publishes `count` calls with event times spread evenly over [fromMs, fromMs + spanMs), in batches of 100. */
export async function publishCalls(nc: NatsConnection, runId: string, count: number, fromMs: number, spanMs: number): Promise<void> {
  const encoder = new TextEncoder();
  const subject = `${process.env.FINOPS_NAMESPACE ? `${process.env.FINOPS_NAMESPACE}.` : ''}finops.in.${TENANT}.batch`;
  for (let start = 0; start < count; start += 100) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + 100); i++) {
      const agentId = AGENTS[i % AGENTS.length]!;
      const time = new Date(fromMs + Math.floor((i * spanMs) / count)).toISOString();
      const common = { agentId, team: `team-${i % 3}`, workflow: `flow-${i % 4}`, traceId: `${runId}-t${Math.floor(i / 4)}`, spanId: `${runId}-s${i}` };
      batch.push(
        i % 4 === 3
          ? { specversion: '1.0', id: `${runId}-${i}`, source: `agent://${agentId}`, type: 'tool.call', time, data: { ...common, tool: 'search', cost: '0.0004' } }
          : { specversion: '1.0', id: `${runId}-${i}`, source: `agent://${agentId}`, type: 'llm.call', time, data: { ...common, provider: 'openai', model: MODELS[i % MODELS.length], usage: { inputTokens: 1000 + (i % 500), outputTokens: 100 + (i % 50) }, attempt: 1 } },
      );
    }
    nc.publish(subject, encoder.encode(JSON.stringify(batch)));
    if ((start / 100) % 50 === 0) await nc.flush();
  }
  await nc.flush();
}

/** Waits until `expected` calls are projected; returns false after `timeoutMs`. */
export async function waitForProjected(from: string, to: string, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await projectedCalls(from, to)) >= expected) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

export function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)]!;
}
