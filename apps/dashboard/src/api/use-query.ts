import { useCallback, useEffect, useState } from 'react';
import { useSession } from '../session';
import { ApiError, requestGraphQL } from './graphql';

export interface QueryResult<T> {
  readonly data?: T;
  readonly error?: ApiError;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Runs a query with the session's key whenever its text or variables change; the latest answer wins. */
export function useQuery<T>(query: string, variables: object = {}, skip = false): QueryResult<T> {
  const { apiKey } = useSession();
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: !skip });
  const [generation, setGeneration] = useState(0);
  const variablesKey = JSON.stringify(variables);

  useEffect(() => {
    if (skip) return;
    let current = true;
    setState((previous) => ({ data: previous.data, loading: true }));
    requestGraphQL<T>(apiKey, query, JSON.parse(variablesKey) as Record<string, unknown>).then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error: error instanceof ApiError ? error : new ApiError(String(error)), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [apiKey, query, variablesKey, generation, skip]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}

/** A mutation: `run(variables)` resolves to the data or rejects with an ApiError; `busy` while in flight. */
export function useMutation<T>(mutation: string) {
  const { apiKey } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(
    async (variables: Record<string, unknown>): Promise<T | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await requestGraphQL<T>(apiKey, mutation, variables);
      } catch (caught) {
        setError(caught instanceof ApiError ? caught : new ApiError(String(caught)));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [apiKey, mutation],
  );
  return { run, busy, error };
}
