import { GRAPHIQL_ASSET_PATH, GRAPHIQL_SCRIPTS, GRAPHIQL_STYLES } from './graphiql-assets.js';

export interface GraphiQLPageOptions {
  /** Where GraphiQL sends its operations. */
  readonly endpoint: string;
  /** The API key put in the Authorization header editor; only ever a development key. */
  readonly apiKey: string | undefined;
}

const FIRST_QUERY = `# AgentLedger's GraphQL API. Every operation needs
# an API key: Headers tab, "Authorization": "Bearer <key>".
query LastDay($from: DateTime = "2026-11-27T00:00:00Z", $to: DateTime = "2026-11-28T00:00:00Z") {
  costSummary(from: $from, to: $to) {
    totalCost
    llmCalls
    toolCalls
  }
}
`;

/** JSON safe inside a `<script>` element: no `</script>` or `<!--` can end or comment it. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/** The settings the page hands to `start.js`: the endpoint, the headers pre-filled, the first query. */
export function graphiqlSettings(options: GraphiQLPageOptions): { url: string; headers: string; query: string } {
  const headers = options.apiKey === undefined ? {} : { Authorization: `Bearer ${options.apiKey}` };
  return { url: options.endpoint, headers: JSON.stringify(headers, null, 2), query: FIRST_QUERY };
}

/** The HTML of `GET /graphql` in a browser: GraphiQL, every asset from the gateway itself. */
export function graphiqlPage(options: GraphiQLPageOptions): string {
  const styles = GRAPHIQL_STYLES.map((name) => `    <link rel="stylesheet" href="${GRAPHIQL_ASSET_PATH}/${name}" />`);
  const scripts = GRAPHIQL_SCRIPTS.map((name) => `    <script src="${GRAPHIQL_ASSET_PATH}/${name}" defer></script>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="utf-8" />',
    '    <meta name="viewport" content="width=device-width, initial-scale=1" />',
    '    <title>AgentLedger GraphQL</title>',
    '    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>',
    ...styles,
    `    <script id="graphiql-settings" type="application/json">${scriptJson(graphiqlSettings(options))}</script>`,
    ...scripts,
    '  </head>',
    '  <body>',
    '    <div id="graphiql">Loading GraphiQL…</div>',
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}
