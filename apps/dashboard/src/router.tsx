import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A small router over the History API: the path picks the page, the query string holds the
// window and filters, so every view is a URL that can be shared.

const NAVIGATED = 'agentledger:navigated';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATED, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATED, onChange);
  };
}

const currentUrl = () => location.pathname + location.search;

export function navigate(to: string, replace = false): void {
  if (to === currentUrl()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
}

export interface Route {
  readonly path: string;
  readonly params: URLSearchParams;
}

export function useRoute(): Route {
  const url = useSyncExternalStore(subscribe, currentUrl);
  const [path, search = ''] = url.split('?');
  return { path: path ?? '/', params: new URLSearchParams(search) };
}

/** Sets or clears query parameters of the current URL (empty string or undefined clears). */
export function setParams(update: Readonly<Record<string, string | undefined>>, replace = false): void {
  const params = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(update)) {
    if (value === undefined || value === '') params.delete(name);
    else params.set(name, value);
  }
  const search = params.toString();
  navigate(`${location.pathname}${search ? `?${search}` : ''}`, replace);
}

/** The parameters that travel from page to page: the window, the bucket and the display zone. */
const KEPT_PARAMS = ['range', 'from', 'to', 'tz'];

/** A path with the current window kept. */
export function keepWindow(path: string): string {
  const current = new URLSearchParams(location.search);
  const [base, search = ''] = path.split('?');
  const params = new URLSearchParams(search);
  for (const name of KEPT_PARAMS) {
    const value = current.get(name);
    if (value !== null && !params.has(name)) params.set(name, value);
  }
  const query = params.toString();
  return `${base}${query ? `?${query}` : ''}`;
}

/** An in-app link: a real <a href> (open in a new tab works), navigated without a reload. */
export function Link({ to, children, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const href = keepWindow(to);
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
