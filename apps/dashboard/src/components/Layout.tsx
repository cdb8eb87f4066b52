import type { ReactNode } from 'react';
import { Link, useRoute } from '../router';
import { useSession } from '../session';
import { WindowBar } from './WindowBar';

const PAGES = [
  { path: '/', label: 'Overview' },
  { path: '/agents', label: 'Agents' },
  { path: '/runs', label: 'Runs' },
  { path: '/operations', label: 'Operations and waste' },
  { path: '/budgets', label: 'Budgets and control' },
  { path: '/pricing', label: 'Pricing' },
];

const isCurrent = (page: string, path: string) => (page === '/' ? path === '/' : path === page || path.startsWith(`${page}/`));

export function Layout({ children }: { children: ReactNode }) {
  const { path } = useRoute();
  const { tenant, role, signOut } = useSession();
  return (
    <div className="layout">
      <header>
        <span className="brand">AgentLedger</span>
        <nav aria-label="Pages">
          {PAGES.map((page) => (
            <Link key={page.path} to={page.path} aria-current={isCurrent(page.path, path) ? 'page' : undefined}>
              {page.label}
            </Link>
          ))}
        </nav>
        <span className="who" data-testid="who">
          {tenant} · {role}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <WindowBar />
      <main>{children}</main>
    </div>
  );
}
