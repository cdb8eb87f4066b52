import { useMemo } from 'react';
import { useRoute } from './router';
import { windowOf, zoneOf, type TimeWindow } from './time-window';

/** The current page's window (from the URL, stable between renders) and display zone. */
export function usePageWindow(): { window: TimeWindow; zone: string; params: URLSearchParams } {
  const { params } = useRoute();
  const search = params.toString();
  const window = useMemo(() => {
    const { from, to } = windowOf(new URLSearchParams(search));
    return { from, to };
  }, [search]);
  return { window, zone: zoneOf(params), params };
}
