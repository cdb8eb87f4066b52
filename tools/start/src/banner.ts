import type { ApiKeySetup } from './dev-api-key.js';

export interface BannerFacts {
  gatewayPort: number;
  ingestionPort: number;
  natsUrl: string;
  /** True when `npm start` launched the NATS server itself. */
  natsStarted: boolean;
  /** Whether the server authorizes clients: ours always does (one user per service); a reused one as it says. */
  natsAuth: boolean;
  /** Connection URL of the services' database, password already removed. */
  databaseUrl: string;
  databaseKind: 'embedded' | 'external';
  apiKeys: ApiKeySetup;
  notReady: readonly string[];
  notBuilt: readonly string[];
}

/** What someone needs right after `npm start`: where things are and how to try them. */
export function renderBanner(facts: BannerFacts): string[] {
  const key = facts.apiKeys.devKey ?? '<a key from AGENTLEDGER_API_KEYS>';
  const keyLine =
    facts.apiKeys.devKey === undefined
      ? 'keys from AGENTLEDGER_API_KEYS'
      : `${facts.apiKeys.devKey}  (use this one in dev: tenant dev, admin; ${facts.apiKeys.source === 'created' ? 'new, saved in' : 'from'} .data/dev-api-key)`;
  const problems = [
    ...(facts.notBuilt.length > 0 ? [`not started (not built): ${facts.notBuilt.join(', ')}  -> run \`npm run build\``] : []),
    ...(facts.notReady.length > 0 ? [`not ready yet: ${facts.notReady.join(', ')}  (see their logs above)`] : []),
  ];
  return [
    '',
    problems.length > 0 ? 'AgentLedger is running, with problems:' : 'AgentLedger is running.',
    ...problems.map((problem) => `  ! ${problem}`),
    '',
    `  Dashboard  http://localhost:${facts.gatewayPort}/  (sign in with the API key below)`,
    `  GraphiQL   http://localhost:${facts.gatewayPort}/graphql  (open it in a browser${facts.apiKeys.devKey === undefined ? '; put a key in the Authorization header' : '; the key below is pre-filled'})`,
    `  GraphQL    http://localhost:${facts.gatewayPort}/graphql  (POST, Authorization: Bearer <key>)`,
    `  Ingestion  http://localhost:${facts.ingestionPort}  (OTLP /v1/traces, CloudEvents /v1/events)`,
    `  NATS       ${facts.natsUrl}  (${facts.natsStarted ? 'started by npm start, store in .data/nats' : 'existing server'})`,
    `  NATS auth  ${natsAuthLine(facts)}`,
    `  Database   ${facts.databaseUrl}  (${facts.databaseKind === 'embedded' ? 'embedded PostgreSQL, data in .data/postgres' : 'from DATABASE_URL'})`,
    `  API key    ${keyLine}`,
    '',
    '  Try it: npm run publish-sample, then query (see README.md):',
    `    curl -s http://localhost:${facts.gatewayPort}/graphql \\`,
    `      -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' \\`,
    `      -d '{"query":"{ costSummary(from: \\"2026-11-27T00:00:00Z\\", to: \\"2026-11-28T00:00:00Z\\") { totalCost llmCalls } }"}'`,
    '',
    '  Ctrl-C stops everything npm start launched.',
    '',
  ];
}

function natsAuthLine(facts: BannerFacts): string {
  if (facts.natsStarted) return 'on: one user per service (.data/nats-auth); clients without credentials are the dev agent (agent rights only)';
  return facts.natsAuth ? 'on (the existing server asks for credentials; services use NATS_USER/NATS_PASSWORD)' : 'off (the existing server admits every client)';
}
