import { dashboardTarget, isGatewayPath, notBuiltPage } from './dashboard-files.js';

const DIRECTORY = '/srv/dashboard/dist';

describe('which file of the dashboard a path is answered with', () => {
  it('answers client routes with index.html, keeping their query', () => {
    for (const path of ['/', '/agents', '/agents/support-bot?from=2026-10-01T00%3A00%3A00Z', '/runs/trace-1']) {
      expect(dashboardTarget(DIRECTORY, path)).toEqual({ kind: 'page', file: `${DIRECTORY}/index.html` });
    }
  });

  it('serves hashed assets for good and other files revalidated', () => {
    expect(dashboardTarget(DIRECTORY, '/assets/index-1a2b3c.js')).toEqual({ kind: 'file', file: `${DIRECTORY}/assets/index-1a2b3c.js`, contentType: 'text/javascript; charset=utf-8', immutable: true });
    expect(dashboardTarget(DIRECTORY, '/favicon.svg')).toEqual({ kind: 'file', file: `${DIRECTORY}/favicon.svg`, contentType: 'image/svg+xml', immutable: false });
  });

  it('never stands in for the gateway’s own paths', () => {
    for (const path of ['/graphql', '/graphql?query=%7B%7D', '/v1/export/focus?from=x', '/healthz', '/readyz', '/metrics']) {
      expect(dashboardTarget(DIRECTORY, path)).toEqual({ kind: 'gateway' });
    }
    expect(isGatewayPath('/graphqlish')).toBe(false);
    expect(isGatewayPath('/metrics-page')).toBe(false);
  });

  it('does not climb out of its folder nor serve unknown kinds of file', () => {
    expect(dashboardTarget(DIRECTORY, '/..%2F..%2Fetc/passwd.txt')).toEqual({ kind: 'not-found' });
    expect(dashboardTarget(DIRECTORY, '/assets/../../secret.js')).toEqual({ kind: 'not-found' });
    expect(dashboardTarget(DIRECTORY, '/%E0%A4%A.js')).toEqual({ kind: 'not-found' });
    expect(dashboardTarget(DIRECTORY, '/server.key')).toEqual({ kind: 'not-found' });
  });

  it('says how to build the dashboard when it is missing', () => {
    expect(notBuiltPage(DIRECTORY)).toContain('npx nx build dashboard');
  });
});
