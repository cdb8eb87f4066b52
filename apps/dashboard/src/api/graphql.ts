/** A failed request, in words a person can act on; `code` is the GraphQL error code when there is one. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface GraphQLAnswer<T> {
  readonly data?: T | null;
  readonly errors?: ReadonlyArray<{ readonly message: string; readonly extensions?: { readonly code?: string } }>;
}

/** POST /graphql on the same origin, the API key in the Authorization header (never in the URL). */
export async function requestGraphQL<T>(apiKey: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The gateway could not be reached. Is AgentLedger running (npm start)?', 'NETWORK');
  }
  let answer: GraphQLAnswer<T>;
  try {
    answer = (await response.json()) as GraphQLAnswer<T>;
  } catch {
    throw new ApiError(`The gateway answered HTTP ${response.status} without a GraphQL answer.`, 'HTTP');
  }
  const first = answer.errors?.[0];
  if (first) throw new ApiError(answer.errors!.map((error) => error.message).join('; '), first.extensions?.code);
  if (!answer.data) throw new ApiError('The gateway answered without data.');
  return answer.data;
}
