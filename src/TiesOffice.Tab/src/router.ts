import { useEffect, useState } from 'react';

export type Route =
  | { view: 'overview' }
  | { view: 'ties'; tier?: string }
  | { view: 'tie'; id: string }
  | { view: 'roles' }
  | { view: 'reach' }
  | { view: 'settings' };

/** Routes live in the hash ("#/ties/abc") so a reload keeps the view and the host's own URL stays untouched. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const [pathname = '', queryText = ''] = path.split('?');
  const parts = pathname.split('/').filter(Boolean);
  const query = new URLSearchParams(queryText);
  switch (parts[0]) {
    case 'ties':
      if (parts[1]) return { view: 'tie', id: decodeURIComponent(parts[1]) };
      return query.get('tier') ? { view: 'ties', tier: query.get('tier') ?? '' } : { view: 'ties' };
    case 'roles':
      return { view: 'roles' };
    case 'reach':
      return { view: 'reach' };
    case 'settings':
      return { view: 'settings' };
    default:
      return { view: 'overview' };
  }
}

export function hrefFor(route: Route): string {
  switch (route.view) {
    case 'overview':
      return '#/';
    case 'ties':
      return route.tier ? `#/ties?tier=${encodeURIComponent(route.tier)}` : '#/ties';
    case 'tie':
      return `#/ties/${encodeURIComponent(route.id)}`;
    default:
      return `#/${route.view}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefFor(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
