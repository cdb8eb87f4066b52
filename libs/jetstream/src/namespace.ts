/**
 * Where a deployment (or a test) lives on the shared NATS server: a subject prefix and a
 * stream-name prefix. Production uses the empty namespace; each test file gets its own, so
 * runs on one server never interfere.
 */
export interface Namespace {
  /** Prepended to every subject, e.g. "t3f9a." (empty in production). */
  readonly subjectPrefix: string;
  /** Prepended to every stream name, e.g. "T3F9A_" (empty in production). */
  readonly streamPrefix: string;
}

export const ROOT_NAMESPACE: Namespace = { subjectPrefix: '', streamPrefix: '' };

const NAMESPACE_TOKEN = /^[a-z0-9_-]{1,32}$/;

/** A namespace named by one token, e.g. `namespaceFor('t3f9a')`; '' gives the root namespace. */
export function namespaceFor(token: string): Namespace {
  if (token === '') return ROOT_NAMESPACE;
  if (!NAMESPACE_TOKEN.test(token)) throw new Error(`invalid namespace token ${JSON.stringify(token)} (expected [a-z0-9_-]{1,32})`);
  return { subjectPrefix: `${token}.`, streamPrefix: `${token.toUpperCase().replace(/-/g, '_')}_` };
}

export function subjectIn(ns: Namespace, subject: string): string {
  return ns.subjectPrefix + subject;
}

export function streamIn(ns: Namespace, stream: string): string {
  return ns.streamPrefix + stream;
}

/** The subject without the namespace prefix, or undefined when it is not in the namespace. */
export function subjectWithin(ns: Namespace, subject: string): string | undefined {
  return subject.startsWith(ns.subjectPrefix) ? subject.slice(ns.subjectPrefix.length) : undefined;
}
