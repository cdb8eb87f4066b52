import { extname, join, normalize, sep } from 'node:path';

/** Paths the gateway answers itself; the dashboard never stands in for them, even when they 404. */
export const GATEWAY_PATHS = ['/graphql', '/v1/', '/healthz', '/readyz', '/metrics'] as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** What a GET below `/` is answered with, decided from its path alone. */
export type DashboardTarget =
  | { readonly kind: 'gateway' }
  | { readonly kind: 'file'; readonly file: string; readonly contentType: string; readonly immutable: boolean }
  | { readonly kind: 'page'; readonly file: string }
  | { readonly kind: 'not-found' };

export function isGatewayPath(path: string): boolean {
  return GATEWAY_PATHS.some((reserved) => path === reserved || path.startsWith(reserved.endsWith('/') ? reserved : `${reserved}/`) || path.startsWith(`${reserved}?`));
}

/**
 * `/assets/app-1a2b.js` is a file of the build (hashed, so cached for good); `/agents/support-bot`
 * is a page of the single-page app, answered with its index.html; a path that climbs out of the
 * build folder or names a missing asset is not found.
 */
export function dashboardTarget(directory: string, urlPath: string): DashboardTarget {
  const path = decodedPath(urlPath);
  if (path === undefined) return { kind: 'not-found' };
  if (isGatewayPath(path)) return { kind: 'gateway' };
  const index = join(directory, 'index.html');
  const extension = extname(path);
  if (extension === '') return { kind: 'page', file: index };
  const file = normalize(join(directory, path));
  if (!file.startsWith(directory.endsWith(sep) ? directory : directory + sep)) return { kind: 'not-found' };
  const contentType = CONTENT_TYPES[extension];
  if (contentType === undefined) return { kind: 'not-found' };
  if (file === index) return { kind: 'page', file: index };
  return { kind: 'file', file, contentType, immutable: path.startsWith('/assets/') };
}

function decodedPath(urlPath: string): string | undefined {
  const path = urlPath.split('?')[0] ?? '/';
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/** What `/` says when the dashboard was not built: how to build it. */
export function notBuiltPage(directory: string): string {
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>AgentLedger: dashboard not built</title></head>',
    '<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">',
    '<h1>The dashboard is not built yet</h1>',
    `<p>The gateway serves the dashboard from <code>${escapeHtml(directory)}</code>, which holds no <code>index.html</code>.</p>`,
    '<p>Build it from the repository root with <code>npx nx build dashboard</code> (or <code>npm run build</code>, which <code>npm start</code> runs), then reload this page.</p>',
    '<p>The GraphQL API is at <a href="/graphql">/graphql</a> meanwhile.</p>',
    '</body></html>',
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
