import { QueryError } from '@agentledger/service-kit';
import { buildSchema, GraphQLError, graphql, type GraphQLFormattedError } from 'graphql';
import { createFormatError, fromQueryError } from './errors.js';

describe('service failures as GraphQL errors', () => {
  it('keeps the service’s words for input, missing and conflicting things', () => {
    for (const code of ['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'] as const) {
      const error = fromQueryError('pricing', 'setPrice', new QueryError(code, 'inputPer1M: must not be negative'));
      expect({ message: error.message, code: error.extensions.code }).toEqual({ message: 'inputPer1M: must not be negative', code });
    }
  });

  it('says only which service failed when it is down or broken', () => {
    const down = fromQueryError('attribution', 'costSummary', new QueryError('UNAVAILABLE', 'attribution did not answer costSummary: 503 no responders at 10.0.0.7'));
    expect({ message: down.message, code: down.extensions.code }).toEqual({
      message: 'The attribution service is not available right now; try again shortly',
      code: 'SERVICE_UNAVAILABLE',
    });
    const broken = fromQueryError('attribution', 'costSummary', new QueryError('INTERNAL', 'relation "cost_rollup" does not exist'));
    expect({ message: broken.message, code: broken.extensions.code }).toEqual({
      message: 'The attribution service failed to answer costSummary',
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});

describe('formatError', () => {
  const logged: Array<Record<string, unknown> | undefined> = [];
  const formatError = createFormatError({ error: (_msg, fields) => logged.push(fields) });
  const schema = buildSchema('type Query { broken: String deliberate: String }');
  const rootValue = {
    broken: () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:5432 password=hunter2');
    },
    deliberate: () => {
      throw new GraphQLError('Not yours', { extensions: { code: 'FORBIDDEN' } });
    },
  };
  const run = async (field: string): Promise<GraphQLFormattedError> => {
    const result = await graphql({ schema, source: `{ ${field} }`, rootValue });
    const [error] = result.errors ?? [];
    if (!error) throw new Error('expected an error');
    return formatError(error.toJSON(), error);
  };

  it('hides an unexpected error’s message from the client and logs it', async () => {
    expect(await run('broken')).toEqual({
      message: 'Internal server error',
      locations: [{ line: 1, column: 3 }],
      path: ['broken'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(String(logged.at(-1)?.error)).toContain('ECONNREFUSED');
  });

  it('sends errors raised on purpose as they are', async () => {
    expect(await run('deliberate')).toEqual({
      message: 'Not yours',
      locations: [{ line: 1, column: 3 }],
      path: ['deliberate'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('restores BAD_USER_INPUT for a literal a scalar rejected during validation', () => {
    const scalarError = new GraphQLError('Decimal must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    const validation = new GraphQLError(scalarError.message, { originalError: scalarError, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(formatError(validation.toJSON(), validation)).toEqual({ message: 'Decimal must be a string', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
