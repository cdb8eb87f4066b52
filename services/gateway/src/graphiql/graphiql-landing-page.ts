import type { ApolloServerPlugin } from '@apollo/server';
import { graphiqlPage, type GraphiQLPageOptions } from './graphiql-page.js';

/**
 * GraphiQL as Apollo Server's landing page. Apollo serves a landing page only to a GET that
 * prefers `text/html` (a browser), and decides so before its CSRF prevention: every other
 * request (POST, a GET query from curl or a client) is handled, and guarded, exactly as before.
 */
export function graphiqlLandingPage(options: GraphiQLPageOptions): ApolloServerPlugin {
  const html = graphiqlPage(options);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
