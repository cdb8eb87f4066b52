import { Catch, type ArgumentsHost } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';

/**
 * `@UseFilters(ResolverErrors)` on a resolver: its errors go to Apollo as they are. Without it
 * Nest logs every error (a viewer's FORBIDDEN, a bad window) at error level; `formatError`
 * already logs the unexpected ones and hides their message from the client.
 */
@Catch()
export class ResolverErrors implements GqlExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): unknown {
    return exception instanceof Error ? exception : new Error(String(exception));
  }
}
