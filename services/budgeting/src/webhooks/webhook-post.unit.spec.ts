import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from './webhook-address.js';
import { postWebhook } from './webhook-post.js';

describe('which addresses a webhook may reach', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.20.0.5', false],
    ['192.168.1.10', false],
    ['169.254.169.254', false], // cloud metadata
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['::1', false],
    ['::', false],
    ['fd12:3456::1', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['8.8.8.8', true],
    ['172.32.0.1', true],
    ['2606:4700:4700::1111', true],
    ['::ffff:8.8.8.8', true],
    ['not an address', false],
  ])('%s → public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});

describe('postWebhook', () => {
  let server: Server;
  let port: number;
  let received = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      received++;
      request.resume();
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = (url: string, allowPrivateNetworks?: boolean) => postWebhook({ url, body: '{"text":"hi"}', headers: { 'Content-Type': 'application/json' }, timeoutMs: 2_000, allowPrivateNetworks });

  it('refuses a private address, given as an IP or as a name that resolves to one, without connecting', async () => {
    const before = received;
    for (const url of [`http://127.0.0.1:${port}/hook`, `http://localhost:${port}/hook`, `http://[::1]:${port}/hook`]) {
      const outcome = await post(url);
      expect(outcome).toMatchObject({ ok: false, permanent: true });
      expect(outcome.ok === false && outcome.error).toMatch(/^refused: the webhook's host is at (127\.0\.0\.1|::1), not a public address/);
    }
    expect(received).toBe(before);
  });

  it('reaches it when private networks are allowed; a refused connection is worth retrying', async () => {
    expect(await post(`http://localhost:${port}/hook`, true)).toEqual({ ok: true, status: 204 });
    expect(received).toBeGreaterThan(0);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(await post(`http://127.0.0.1:${closedPort}/hook`, true)).toEqual({ ok: false, error: 'connection failed: ECONNREFUSED', permanent: false });
    expect(await post('ftp://example.com/hook', true)).toMatchObject({ ok: false, permanent: true });
  });
});
