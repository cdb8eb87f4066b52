import { Module, type DynamicModule } from '@nestjs/common';
import { loadGraphiQLAssets } from './graphiql-assets.js';
import { GRAPHIQL_ASSETS, GraphiQLAssetsController } from './graphiql.controller.js';

/** The assets GraphiQL loads at `/graphiql/*`; the page itself is Apollo's landing page (`graphiqlLandingPage`). */
@Module({})
export class GraphiQLModule {
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: GraphiQLModule,
      controllers: [GraphiQLAssetsController],
      providers: [{ provide: GRAPHIQL_ASSETS, useValue: await loadGraphiQLAssets() }],
    };
  }
}
