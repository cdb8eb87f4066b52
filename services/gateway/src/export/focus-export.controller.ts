import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { focusCostsQuery, isDateTimeString } from '@agentledger/contracts';
import type { Logger } from '@agentledger/observability';
import { authenticate, type Caller, type KeyAuthenticator } from '../auth/api-keys.js';
import { FAILURE_MESSAGES } from '../auth/gateway-context.js';
import { ServiceQueries } from '../service-queries.js';
import { FocusParquetWriter } from './focus-parquet.js';
import { CSV_HEADER, csvRow, focusRowsOf, type FocusGranularity, type FocusRow } from './focus-rows.js';
import { FOCUS_PAGE_EVENTS, focusPages, type AskPage } from './focus-pages.js';

export const EXPORT_KEYS = Symbol('ExportKeys');
export const EXPORT_LOGGER = Symbol('ExportLogger');

/** Money is USD throughout AgentLedger (contract, part B). */
const CURRENCY = 'USD';
const FORMATS = ['csv', 'parquet'] as const;
type FocusFormat = (typeof FORMATS)[number];
const GRANULARITIES: readonly FocusGranularity[] = ['event', 'sku'];

type ExportRequest = IncomingMessage & { query?: Record<string, unknown> };

interface ExportParameters {
  readonly from: string;
  readonly to: string;
  readonly granularity: FocusGranularity;
  readonly format: FocusFormat;
}

/** How rows become bytes on the wire: CSV text, or Parquet row groups. */
interface FocusEncoder {
  readonly contentType: string;
  readonly extension: string;
  start(): Promise<void>;
  page(rows: readonly FocusRow[]): Promise<void>;
  end(): Promise<void>;
}

class ExportRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ExportRequestError(400, 'BAD_USER_INPUT', `${name}: give it once`);
  return value;
}

function parametersOf(query: Record<string, unknown>): ExportParameters {
  const from = single(query, 'from');
  const to = single(query, 'to');
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (value === undefined || value === '') throw new ExportRequestError(400, 'BAD_USER_INPUT', `${name}: required, an RFC 3339 date-time`);
    if (!isDateTimeString(value)) throw new ExportRequestError(400, 'BAD_USER_INPUT', `${name}: must be an RFC 3339 date-time, got ${JSON.stringify(value.slice(0, 100))}`);
  }
  if (new Date(from!) >= new Date(to!)) throw new ExportRequestError(400, 'BAD_USER_INPUT', 'from: must be before to');
  const format = single(query, 'format') ?? 'csv';
  if (!(FORMATS as readonly string[]).includes(format)) throw new ExportRequestError(400, 'BAD_USER_INPUT', `format: must be csv or parquet, got ${JSON.stringify(format.slice(0, 100))}`);
  const granularity = single(query, 'granularity') ?? 'event';
  if (!(GRANULARITIES as readonly string[]).includes(granularity)) {
    throw new ExportRequestError(400, 'BAD_USER_INPUT', `granularity: must be event or sku, got ${JSON.stringify(granularity.slice(0, 100))}`);
  }
  return { from: from!, to: to!, granularity: granularity as FocusGranularity, format: format as FocusFormat };
}

/** The caller of the request, or a 401 naming what is wrong with the key. */
function callerOf(keys: KeyAuthenticator, request: IncomingMessage): Caller {
  const header = request.headers.authorization;
  const authentication = authenticate(keys, Array.isArray(header) ? header[0] : header);
  if ('caller' in authentication) return authentication.caller;
  throw new ExportRequestError(401, 'UNAUTHENTICATED', FAILURE_MESSAGES[authentication.failure]);
}

/**
 * `GET /v1/export/focus?from=…&to=…[&granularity=sku][&format=csv|parquet]`: the caller's
 * tenant's priced events in [from, to) as FOCUS 1.2 CSV or Parquet. Streamed page by page from
 * attribution (keyset paging, `focusPages`) with the socket's backpressure respected, so an
 * export of any size holds two pages in memory (the one being written, the next arriving). An
 * error before the first row is a JSON answer with its status; one after it cuts the download
 * short (the status is already sent), and is logged.
 */
@Controller('v1/export')
export class FocusExportController {
  constructor(
    @Inject(EXPORT_KEYS) private readonly keys: KeyAuthenticator,
    @Inject(ServiceQueries) private readonly services: ServiceQueries,
    @Inject(EXPORT_LOGGER) private readonly logger: Pick<Logger, 'warn' | 'error'>,
  ) {}

  @Get('focus')
  async focus(@Req() request: ExportRequest, @Res() response: ServerResponse): Promise<void> {
    let caller: Caller;
    let parameters: ExportParameters;
    let ask: AskPage;
    let first;
    try {
      caller = callerOf(this.keys, request);
      parameters = parametersOf(request.query ?? {});
      const { from, to } = parameters;
      const asker = caller; // a const for the closure
      ask = (limit, after) => this.services.ask(asker, focusCostsQuery, { from, to, limit, ...(after ? { after } : {}) });
      first = await ask(FOCUS_PAGE_EVENTS, undefined);
    } catch (error) {
      this.answerError(response, error);
      return;
    }
    const encoder = this.encoderFor(parameters.format, response);
    response.statusCode = 200;
    response.setHeader('Content-Type', encoder.contentType);
    response.setHeader('Content-Disposition', `attachment; filename="focus-${caller.tenant}-${parameters.from.slice(0, 10)}-${parameters.to.slice(0, 10)}.${encoder.extension}"`);
    response.setHeader('Cache-Control', 'no-store');
    // The status goes out now, not with the first bytes: a Parquet file sends none until its first row group is full.
    response.flushHeaders();
    let closed = false;
    response.on('close', () => (closed = true));
    try {
      await encoder.start();
      for await (const page of focusPages(first, ask)) {
        if (closed) break;
        await encoder.page(page.flatMap((cost) => focusRowsOf(cost, caller.tenant, CURRENCY, parameters.granularity)));
      }
      if (!closed) await encoder.end();
      response.end();
    } catch (error) {
      // The status is sent: the only honest signal left is to break the transfer off, so the
      // client sees a failed download (no closing chunk; a Parquet file without its footer),
      // never a shorter file that looks whole.
      this.logger.error('FOCUS export cut short', { tenant: caller.tenant, reason: (error as Error).message });
      response.destroy(error as Error);
    }
  }

  private encoderFor(format: FocusFormat, response: ServerResponse): FocusEncoder {
    const write = (chunk: string | Uint8Array) => this.write(response, chunk);
    if (format === 'parquet') {
      const parquet = new FocusParquetWriter(write);
      return { contentType: 'application/vnd.apache.parquet', extension: 'parquet', start: async () => {}, page: (rows) => parquet.write(rows), end: () => parquet.finish() };
    }
    return {
      contentType: 'text/csv; charset=utf-8',
      extension: 'csv',
      start: () => write(CSV_HEADER),
      page: async (rows) => {
        if (rows.length > 0) await write(rows.map(csvRow).join(''));
      },
      end: async () => {},
    };
  }

  private async write(response: ServerResponse, chunk: string | Uint8Array): Promise<void> {
    if (response.write(chunk)) return;
    // Wait for the socket to drain, or to close; whichever comes first removes both listeners.
    await new Promise<void>((resolve) => {
      const done = () => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  }

  private answerError(response: ServerResponse, error: unknown): void {
    let status = 500;
    let code = 'INTERNAL';
    let message = 'The export failed; see the gateway log';
    if (error instanceof ExportRequestError) {
      ({ status, code, message } = error);
    } else {
      const extensions = (error as { extensions?: { code?: unknown } }).extensions;
      const graphCode = typeof extensions?.code === 'string' ? extensions.code : undefined;
      if (graphCode === 'BAD_USER_INPUT') [status, code, message] = [400, graphCode, (error as Error).message];
      else if (graphCode === 'UNAVAILABLE' || graphCode === 'SERVICE_UNAVAILABLE') [status, code, message] = [503, 'UNAVAILABLE', (error as Error).message];
      else this.logger.error('FOCUS export failed', { reason: (error as Error).message });
    }
    response.statusCode = status;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    response.end(JSON.stringify({ error: { code, message } }));
  }
}
