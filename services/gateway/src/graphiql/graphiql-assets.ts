import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The files GraphiQL needs, served by the gateway itself from the npm packages it depends on
 * (no CDN: the explorer works offline). graphiql 4 ships a prebuilt browser bundle that expects
 * React 18 as globals; React 18 ships those as UMD files. `start.js` is ours (below).
 */
export const GRAPHIQL_ASSET_PATH = '/graphiql';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** Asset name → the package file it is, and its content type. Only these names are served. */
const PACKAGE_ASSETS: Readonly<Record<string, { readonly pkg: string; readonly file: string; readonly contentType: string }>> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', contentType: JS },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', contentType: JS },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', contentType: JS },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', contentType: CSS },
};

/**
 * Mounts GraphiQL on `#graphiql` with the settings the page carries in `#graphiql-settings`
 * (a JSON script element, so no inline script runs). Headers the user types are never saved in
 * the browser's storage: a key stays in the tab.
 */
const START_SCRIPT = `(function () {
  var settings = JSON.parse(document.getElementById('graphiql-settings').textContent);
  var fetcher = GraphiQL.createFetcher({ url: settings.url });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultHeaders: settings.headers,
    defaultQuery: settings.query,
    shouldPersistHeaders: false,
  }));
})();
`;

export interface GraphiQLAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The assets by name, read once from the packages (a missing package fails at start-up, not in a browser). */
export async function loadGraphiQLAssets(): Promise<ReadonlyMap<string, GraphiQLAsset>> {
  const require = createRequire(import.meta.url);
  const assets = new Map<string, GraphiQLAsset>();
  for (const [name, { pkg, file, contentType }] of Object.entries(PACKAGE_ASSETS)) {
    // The packages' `exports` do not list these files; each package's folder is found by its package.json.
    assets.set(name, { body: await readFile(join(dirname(require.resolve(`${pkg}/package.json`)), file)), contentType });
  }
  assets.set('start.js', { body: Buffer.from(START_SCRIPT), contentType: JS });
  return assets;
}

/** The order the page loads the scripts in: React, then ReactDOM, then GraphiQL, then ours. */
export const GRAPHIQL_SCRIPTS = ['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'start.js'] as const;
export const GRAPHIQL_STYLES = ['graphiql.min.css'] as const;
