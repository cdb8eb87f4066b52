// The runaway agent wired to the stack: the SDK on the simulator's NATS connection for checks,
// calls and pauses, the gateway's GraphQL for its budget.
import { existsSync, readFileSync } from 'node:fs';
import type { NatsConnection } from '@nats-io/transport-node';
import { AgentLedger, type Pause } from '@agentledger/agent-sdk';
import { RUNAWAY_AGENT, runRunawayAgent, type RunawayResult } from './runaway-agent.js';
import { ensureRunawayBudget, gatewayClient, runawayBudgetMutation } from './runaway-budget.js';

export interface RunawayWiring {
  nc: NatsConnection;
  tenant: string;
  /** The namespace token (tests), '' in production. */
  namespace: string;
  seed: number;
  epoch: number;
  allowance: string;
  gateway: string;
  apiKey?: string;
  stopping(): boolean;
  log(line: string): void;
}

const DEV_KEY_FILE = new URL('../../../.data/dev-api-key', import.meta.url);

function adminKey(given: string | undefined): string | undefined {
  return given ?? process.env.AGENTLEDGER_API_KEY ?? (existsSync(DEV_KEY_FILE) ? readFileSync(DEV_KEY_FILE, 'utf8').trim() : undefined);
}

const describePause = (pause: Pause) => `${pause.scope}${pause.scopeId === null ? '' : ` ${pause.scopeId}`} (${pause.reason})`;

/** Sets up its budget and pause watch, and starts its loop; `finished` resolves when it has stopped and its events are published. */
export async function startRunaway(wiring: RunawayWiring): Promise<{ finished: Promise<RunawayResult> }> {
  const { log } = wiring;
  const name = RUNAWAY_AGENT.agentId;
  const key = adminKey(wiring.apiKey);
  if (!key) {
    log(`${name}: no admin key (--api-key, AGENTLEDGER_API_KEY or .data/dev-api-key), so its budget is left as it is; set it with:\n  ${runawayBudgetMutation(wiring.allowance)}`);
  } else {
    try {
      const budget = await ensureRunawayBudget(gatewayClient(wiring.gateway, key), wiring.allowance);
      log(`${name}: BLOCK budget ${budget.id} on agent ${name}: spent ${budget.spent} of ${budget.limit} today`);
    } catch (error) {
      log(`${name}: could not set its budget on ${wiring.gateway} (${(error as Error).message}); running against whatever budget exists. Set it with:\n  ${runawayBudgetMutation(wiring.allowance)}`);
    }
  }

  const streamPrefix = wiring.namespace ? `${wiring.namespace.toUpperCase().replace(/-/g, '_')}_` : '';
  const ledger = await AgentLedger.connect({
    nc: wiring.nc,
    tenant: wiring.tenant,
    agentId: RUNAWAY_AGENT.agentId,
    team: RUNAWAY_AGENT.team,
    workflow: RUNAWAY_AGENT.workflow,
    subjectPrefix: wiring.namespace ? `${wiring.namespace}.` : '',
    controlBucket: `${streamPrefix}finops_control`,
    flushIntervalMs: 200,
  });
  ledger.registerAgent(RUNAWAY_AGENT.registration, { id: `sim-${wiring.seed}-${wiring.epoch}-runaway-registered` });
  let watching = false;
  try {
    await ledger.watchPauses((change) => {
      if (change.type === 'paused' && !change.initial) log(`${name}: pause seen: ${describePause(change.pause)}`);
    });
    watching = true;
  } catch (error) {
    log(`${name}: not watching pauses (${(error as Error).message}); its checks still stop it`);
  }

  const finished = runRunawayAgent(
    {
      check: (request) => ledger.check(request),
      pausedBy: () => (watching ? ledger.pauseCovering() : undefined),
      recordCall: (call, id) => ledger.llmCall(call, { id }),
      log,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      stopping: wiring.stopping,
    },
    { seed: wiring.seed, epoch: wiring.epoch },
  ).then(async (result) => {
    await ledger.close().catch((error: unknown) => log(`${name}: its last events could not be published: ${(error as Error).message}`));
    log(`${name}: made ${result.calls} model calls; stopped: ${result.stoppedBy}`);
    return result;
  });
  return { finished };
}
