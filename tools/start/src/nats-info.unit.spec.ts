import { parseInfoLine } from './nats-info.js';

describe('NATS INFO line', () => {
  it('reads the version and JetStream support', () => {
    expect(parseInfoLine('INFO {"server_id":"N1","version":"2.9.10","jetstream":true,"max_payload":1048576} \r')).toEqual({
      version: '2.9.10',
      jetstream: true,
      authRequired: false,
    });
  });

  it('reports a server without JetStream', () => {
    expect(parseInfoLine('INFO {"version":"2.10.0"}')).toEqual({ version: '2.10.0', jetstream: false, authRequired: false });
  });

  it('says whether the server asks for credentials', () => {
    expect(parseInfoLine('INFO {"version":"2.9.10","jetstream":true,"auth_required":true}')?.authRequired).toBe(true);
  });

  it('does not mistake another protocol for NATS', () => {
    expect(parseInfoLine('HTTP/1.1 400 Bad Request')).toBeUndefined();
    expect(parseInfoLine('+OK')).toBeUndefined();
    expect(parseInfoLine('INFO {not json}')).toBeUndefined();
  });
});
