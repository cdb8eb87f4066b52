import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DashboardModule } from './dashboard.module.js';

// The gateway's own routes, registered before the dashboard as in gateway.service.ts.
@Controller()
class GatewayRoutes {
  @Get('healthz')
  health() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [GatewayRoutes] })
class GatewayRoutesModule {}

async function serve(directory: string): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [GatewayRoutesModule, DashboardModule.forRoot(directory)] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe('the dashboard module of the gateway', () => {
  const built = mkdtempSync(join(tmpdir(), 'dashboard-'));
  let withBuild: { app: INestApplication; url: string };
  let withoutBuild: { app: INestApplication; url: string };

  beforeAll(async () => {
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(built, 'assets', 'index-1a2b.js'), 'console.log(1)');
    withBuild = await serve(built);
    withoutBuild = await serve(join(built, 'missing'));
  });

  afterAll(async () => {
    await withBuild?.app.close();
    await withoutBuild?.app.close();
    rmSync(built, { recursive: true, force: true });
  });

  it('serves index.html at / and at every client route, revalidated', async () => {
    for (const path of ['/', '/agents/support-bot?from=2026-10-05T00:00:00Z']) {
      const response = await fetch(`${withBuild.url}${path}`);
      expect([response.status, response.headers.get('content-type'), response.headers.get('cache-control')]).toEqual([200, 'text/html; charset=utf-8', 'no-cache']);
      expect(await response.text()).toContain('<div id="root">');
    }
  });

  it('serves hashed assets for good, and a missing one is not found', async () => {
    const asset = await fetch(`${withBuild.url}/assets/index-1a2b.js`);
    expect([asset.status, asset.headers.get('content-type'), asset.headers.get('cache-control')]).toEqual([200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable']);
    expect(await asset.text()).toBe('console.log(1)');
    expect((await fetch(`${withBuild.url}/assets/gone.js`)).status).toBe(404);
  });

  it('lets the gateway’s own routes answer, and does not stand in for those it lacks', async () => {
    expect(await (await fetch(`${withBuild.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const graphql = await fetch(`${withBuild.url}/graphql`);
    expect(graphql.status).toBe(404);
    expect(await graphql.text()).not.toContain('<div id="root">');
  });

  it('says how to build the dashboard when its build is missing', async () => {
    const response = await fetch(`${withoutBuild.url}/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npx nx build dashboard');
  });
});
