import { embeddedServerUrl, parseDatabaseUrl, redactPassword, withDatabase } from './database-url.js';

describe('database URLs', () => {
  it('gives a bare server URL the agentledger database', () => {
    expect(parseDatabaseUrl('postgres://app:pw@db.internal:5432')).toEqual({
      serverUrl: 'postgres://app:pw@db.internal:5432',
      database: 'agentledger',
    });
    expect(parseDatabaseUrl('postgresql://app:pw@db.internal/').database).toBe('agentledger');
  });

  it('keeps a database the operator named, and the connection options', () => {
    expect(parseDatabaseUrl('postgres://app:pw@db.internal:5432/finops?sslmode=require')).toEqual({
      serverUrl: 'postgres://app:pw@db.internal:5432?sslmode=require',
      database: 'finops',
    });
  });

  it('points a server URL at a database', () => {
    expect(withDatabase('postgres://app:pw@db.internal:5432?sslmode=require', 'agentledger')).toBe(
      'postgres://app:pw@db.internal:5432/agentledger?sslmode=require',
    );
    expect(withDatabase('postgres://app:pw@h:5432/old', 'postgres')).toBe('postgres://app:pw@h:5432/postgres');
  });

  it('never prints a password', () => {
    expect(redactPassword('postgres://app:s3cr%40t@h:5432/agentledger')).toBe('postgres://app:***@h:5432/agentledger');
    expect(redactPassword('postgres://app@h:5432/agentledger')).toBe('postgres://app@h:5432/agentledger');
  });

  it('builds the embedded server URL on IPv4 loopback', () => {
    expect(embeddedServerUrl(5488, 'agentledger', 'agentledger')).toBe('postgres://agentledger:agentledger@127.0.0.1:5488');
  });

  it('rejects what is not a Postgres URL', () => {
    expect(() => parseDatabaseUrl('db.internal:5432')).toThrow('DATABASE_URL must start with postgres:// or postgresql://');
    expect(() => parseDatabaseUrl('not a url')).toThrow('DATABASE_URL is not a URL');
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow('DATABASE_URL must start with postgres:// or postgresql://, got mysql://');
  });
});
