import type { ReactNode } from 'react';
import type { QueryResult } from '../api/use-query';

export const Loading = ({ what }: { what: string }) => (
  <p className="state loading" role="status">
    Loading {what}…
  </p>
);

export const ErrorNote = ({ error, what, action = 'load' }: { error: { message: string; code?: string }; what: string; action?: string }) => (
  <p className="state error" role="alert">
    Could not {action} {what}: {error.message}
    {error.code === 'UNAUTHENTICATED' ? ' Sign out and sign in with a valid key.' : ''}
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <p className="state empty">{children}</p>;

/** A query's loading, error and empty states in words, else its content. */
export function Loaded<T>({ result, what, isEmpty, empty, children }: { result: QueryResult<T>; what: string; isEmpty?: (data: T) => boolean; empty?: ReactNode; children: (data: T) => ReactNode }) {
  if (result.error) return <ErrorNote error={result.error} what={what} />;
  if (!result.data) return <Loading what={what} />;
  if (isEmpty?.(result.data)) return <Empty>{empty ?? `No ${what} in this window.`}</Empty>;
  return <>{children(result.data)}</>;
}
