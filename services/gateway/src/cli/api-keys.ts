#!/usr/bin/env node
// Admin CLI for API keys: node services/gateway/dist/cli/api-keys.js <create|revoke|list> …
// Keys go to the file AGENTLEDGER_API_KEYS_FILE (or --file) as SHA-256 hashes; a running gateway
// reloads it within a second or two. A new key is printed once and kept nowhere.
import { parseArgs } from 'node:util';
import { issueKey, readApiKeyFile, revokeKey, writeApiKeyFile } from '../auth/api-key-file.js';
import { ApiKeyListError, type Role } from '../auth/api-keys.js';

const USAGE = `usage:
  api-keys create --tenant <tenant> --role <admin|viewer> [--label <text>] [--file <path>]
  api-keys revoke <keyId> [--file <path>]
  api-keys list [--file <path>]
The file defaults to $AGENTLEDGER_API_KEYS_FILE.`;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { tenant: { type: 'string' }, role: { type: 'string' }, label: { type: 'string' }, file: { type: 'string' }, help: { type: 'boolean' } },
});
const [command, ...rest] = positionals;
if (values.help || !command) fail(USAGE);
const path = values.file ?? process.env.AGENTLEDGER_API_KEYS_FILE;
if (!path) fail(`no key file: set AGENTLEDGER_API_KEYS_FILE or pass --file\n${USAGE}`);

try {
  const file = await readApiKeyFile(path);
  switch (command) {
    case 'create': {
      if (!values.tenant || !values.role) fail(`create needs --tenant and --role\n${USAGE}`);
      const issued = issueKey(file, { tenant: values.tenant, role: values.role as Role, label: values.label }, new Date());
      await writeApiKeyFile(path, issued.file);
      process.stderr.write(`created key ${issued.record.keyId} for tenant ${issued.record.tenant} (${issued.record.role}); it is shown once:\n`);
      process.stdout.write(`${issued.key}\n`);
      break;
    }
    case 'revoke': {
      if (rest.length !== 1) fail(`revoke needs one key id\n${USAGE}`);
      const revoked = revokeKey(file, rest[0]!, new Date());
      await writeApiKeyFile(path, revoked.file);
      process.stdout.write(`revoked key ${revoked.record.keyId} of tenant ${revoked.record.tenant}\n`);
      break;
    }
    case 'list':
      for (const key of file.keys) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'live';
        process.stdout.write(`${key.keyId}  ${key.tenant}  ${key.role}  created ${key.createdAt}  ${state}${key.label ? `  ${key.label}` : ''}\n`);
      }
      break;
    default:
      fail(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
  }
} catch (error) {
  if (error instanceof ApiKeyListError) fail(error.message);
  throw error;
}
