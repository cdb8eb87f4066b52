import { useCallback, useEffect, useMemo, useState } from 'react';
import { requestGraphQL } from './api/graphql';
import { Layout } from './components/Layout';
import { SignIn } from './components/SignIn';
import { AgentPage } from './pages/AgentPage';
import { AgentsPage } from './pages/AgentsPage';
import { BudgetsPage } from './pages/BudgetsPage';
import { OperationsPage } from './pages/OperationsPage';
import { OverviewPage } from './pages/OverviewPage';
import { PricingPage } from './pages/PricingPage';
import { RunPage } from './pages/RunPage';
import { RunsPage } from './pages/RunsPage';
import { useRoute } from './router';
import { forgetApiKey, ME_QUERY, SessionContext, storeApiKey, storedApiKey, type Session } from './session';

type Who = { apiKey: string; tenant: string; role: Session['role'] };

export function App() {
  const [who, setWho] = useState<Who>();
  const [checking, setChecking] = useState(storedApiKey() !== null);
  const [error, setError] = useState<string>();

  const signIn = useCallback(async (apiKey: string) => {
    setChecking(true);
    setError(undefined);
    try {
      const { me } = await requestGraphQL<{ me: { tenant: string; role: Session['role'] } }>(apiKey, ME_QUERY);
      storeApiKey(apiKey);
      setWho({ apiKey, ...me });
    } catch (caught) {
      forgetApiKey();
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    const stored = storedApiKey();
    if (stored) void signIn(stored);
  }, [signIn]);

  const session = useMemo<Session | null>(
    () =>
      who
        ? {
            ...who,
            signOut: () => {
              forgetApiKey();
              setWho(undefined);
            },
          }
        : null,
    [who],
  );

  if (!session) return <SignIn onSignIn={(apiKey) => void signIn(apiKey)} error={error} busy={checking} />;
  return (
    <SessionContext.Provider value={session}>
      <Layout>
        <CurrentPage />
      </Layout>
    </SessionContext.Provider>
  );
}

function CurrentPage() {
  const { path } = useRoute();
  const [, section, id] = path.split('/').map((part) => decodeURIComponent(part));
  switch (section) {
    case '':
      return <OverviewPage />;
    case 'agents':
      return id ? <AgentPage agentId={id} /> : <AgentsPage />;
    case 'runs':
      return id ? <RunPage traceId={id} /> : <RunsPage />;
    case 'operations':
      return <OperationsPage />;
    case 'budgets':
      return <BudgetsPage />;
    case 'pricing':
      return <PricingPage />;
    default:
      return <p className="state empty">There is no page at {path}. Pick one above.</p>;
  }
}
