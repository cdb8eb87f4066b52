import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { GraphiQLAsset } from './graphiql-assets.js';

export const GRAPHIQL_ASSETS = Symbol('GraphiQLAssets');

/** `GET /graphiql/<asset>`: the scripts and styles of the GraphiQL page, and nothing else. */
@Controller('graphiql')
export class GraphiQLAssetsController {
  constructor(@Inject(GRAPHIQL_ASSETS) private readonly assets: ReadonlyMap<string, GraphiQLAsset>) {}

  @Get(':asset')
  asset(@Param('asset') name: string, @Res() response: ServerResponse): void {
    const asset = this.assets.get(name);
    if (asset === undefined) {
      response.statusCode = 404;
      response.setHeader('Content-Type', 'text/plain; charset=utf-8');
      response.end(`no GraphiQL asset ${JSON.stringify(name.slice(0, 100))}\n`);
      return;
    }
    response.statusCode = 200;
    response.setHeader('Content-Type', asset.contentType);
    response.setHeader('Content-Length', asset.body.length);
    // The files change only with the gateway's dependencies: an hour in the browser's cache is plenty.
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.end(asset.body);
  }
}
