import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { PermanentError } from '@agentledger/jetstream';
import { MAX_BODY_BYTES } from '../intake/raw-message.js';

/**
 * The request's bytes, gunzipped when `Content-Encoding: gzip`, at most `MAX_BODY_BYTES`
 * (compressed and inflated). Express has already parsed `application/json` bodies (up to its own
 * limit); those are re-serialised, the rest read from the stream.
 */
export async function requestBytes(request: IncomingMessage & { body?: unknown; _body?: boolean }): Promise<Uint8Array> {
  // A body parser consumed the stream (application/json): its JSON (gunzipped, within its limit) is all there is left.
  if (request._body || (request.readableEnded && request.body !== undefined)) return new TextEncoder().encode(JSON.stringify(request.body));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new PermanentError(`body: must be at most ${MAX_BODY_BYTES} bytes`, 'oversize');
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  if (!/gzip/i.test(String(request.headers['content-encoding'] ?? ''))) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES });
  } catch (error) {
    throw new PermanentError(`body: must be valid gzip of at most ${MAX_BODY_BYTES} bytes (${(error as Error).message})`, 'oversize');
  }
}
