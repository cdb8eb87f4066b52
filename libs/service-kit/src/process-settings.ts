/**
 * How every service process is started (`npm start`, the bench's stack, the image, the Kubernetes
 * manifests): settings that must be in place before the process starts, unlike the heap growth
 * bound each service sets itself (`boundHeapGrowth`). This module imports nothing, so the start
 * tool can read it without loading the services' code (`@agentledger/service-kit/process-settings`).
 */

/**
 * V8 sizes the young generation when the process starts: left to itself it lets each of its two
 * semi-spaces grow to 16 MB under load, 32 MB of resident memory in every consumer. 8 MB halves
 * that, and took 20–70 MB off each consumer's peak, for about a tenth more of their CPU (more
 * frequent scavenges; tools/bench/README.md, "Memory").
 */
export const SERVICE_NODE_OPTIONS = ['--max-semi-space-size=8'] as const;

/**
 * glibc's allocator gives each thread that allocates an arena of its own, and Node's worker
 * threads (libuv's pool, V8's platform threads) keep several; two arenas are 10–20 MB less
 * resident per service at no measured cost.
 */
export const SERVICE_PROCESS_ENV = { MALLOC_ARENA_MAX: '2' } as const;

/**
 * A service's environment with the settings above under what the caller already set: its own
 * `MALLOC_ARENA_MAX` stays, and its `NODE_OPTIONS` come after ours, so a flag it sets wins.
 */
export function withServiceProcessSettings(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const defined = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const nodeOptions = [...SERVICE_NODE_OPTIONS, defined['NODE_OPTIONS'] ?? ''].join(' ').trim();
  return { ...SERVICE_PROCESS_ENV, ...defined, NODE_OPTIONS: nodeOptions };
}
