import { createContext, useContext } from 'react';

/** Who is signed in: the key (kept in sessionStorage only) and what the gateway says it is. */
export interface Session {
  readonly apiKey: string;
  readonly tenant: string;
  readonly role: 'viewer' | 'admin';
  readonly signOut: () => void;
}

const STORAGE_KEY = 'agentledger.apiKey';

export const storedApiKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const storeApiKey = (apiKey: string): void => sessionStorage.setItem(STORAGE_KEY, apiKey);
export const forgetApiKey = (): void => sessionStorage.removeItem(STORAGE_KEY);

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

export const useIsAdmin = (): boolean => useSession().role === 'admin';

export const ME_QUERY = '{ me { tenant role } }';
