#!/usr/bin/env node
// Generates a service's Prisma client offline. `prisma generate` needs no schema engine, but
// the CLI insists on locating one (and would download it); any existing file satisfies it.
// Migrations are plain SQL files applied by @agentledger/projections at start-up.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);
const result = spawnSync('npx', ['prisma', 'generate', '--schema', 'prisma/schema.prisma'], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
