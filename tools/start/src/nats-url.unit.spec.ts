import { DEFAULT_NATS_URL, parseNatsUrl, parseNatsUrls } from './nats-url.js';

describe('NATS_URL parsing', () => {
  it('reads the default', () => {
    expect(parseNatsUrls(DEFAULT_NATS_URL)).toEqual([{ host: '127.0.0.1', port: 4222, loopback: true }]);
  });

  it('accepts what the NATS clients accept', () => {
    expect(parseNatsUrl('localhost:4333')).toEqual({ host: 'localhost', port: 4333, loopback: true });
    expect(parseNatsUrl('nats://nats.internal')).toEqual({ host: 'nats.internal', port: 4222, loopback: false });
    expect(parseNatsUrl('tls://user:secret@10.0.0.7:7422')).toEqual({ host: '10.0.0.7', port: 7422, loopback: false });
    expect(parseNatsUrl('nats://[::1]:4223')).toEqual({ host: '::1', port: 4223, loopback: true });
  });

  it('reads a comma-separated server list', () => {
    expect(parseNatsUrls('nats://a:4222, nats://b:5222,')).toEqual([
      { host: 'a', port: 4222, loopback: false },
      { host: 'b', port: 5222, loopback: false },
    ]);
  });

  it('rejects what cannot be a NATS server', () => {
    expect(() => parseNatsUrls(' , ')).toThrow('NATS_URL is empty');
    expect(() => parseNatsUrl('http://127.0.0.1:4222')).toThrow('NATS_URL must use nats:// or tls://');
    expect(() => parseNatsUrl('nats://host:notaport')).toThrow('NATS_URL has an unreadable server address');
  });
});
