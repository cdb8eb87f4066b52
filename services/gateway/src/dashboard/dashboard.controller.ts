import { Controller, Get, Inject, Next, Req, Res } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dashboardTarget, notBuiltPage } from './dashboard-files.js';

export const DASHBOARD_DIRECTORY = Symbol('DashboardDirectory');

type NextFunction = (error?: unknown) => void;

/**
 * The dashboard's built files at `/`, and its index.html for every client route (a single-page
 * app). The gateway's own paths (`/graphql`, `/v1/…`, health and metrics) are passed on untouched.
 */
@Controller()
export class DashboardController {
  constructor(@Inject(DASHBOARD_DIRECTORY) private readonly directory: string) {}

  @Get(['/', '*path'])
  async serve(@Req() request: IncomingMessage, @Res() response: ServerResponse, @Next() next: NextFunction): Promise<void> {
    const target = dashboardTarget(this.directory, request.url ?? '/');
    switch (target.kind) {
      case 'gateway':
        return next();
      case 'not-found':
        return void response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      case 'page':
        if (!(await isFile(target.file))) return void response.writeHead(503, { 'content-type': 'text/html; charset=utf-8' }).end(notBuiltPage(this.directory));
        return send(response, target.file, 'text/html; charset=utf-8', 'no-cache');
      case 'file':
        if (!(await isFile(target.file))) return void response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
        return send(response, target.file, target.contentType, target.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      default: {
        const unknownTarget: never = target;
        return unknownTarget;
      }
    }
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function send(response: ServerResponse, file: string, contentType: string, cacheControl: string): void {
  response.writeHead(200, { 'content-type': contentType, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' });
  createReadStream(file).pipe(response);
}
