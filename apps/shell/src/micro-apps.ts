import type { Service } from './services';

/**
 * The micro-apps this shell hosts. Each is built and deployed on its own; the
 * shell knows only its import specifier (resolved by the import map), where it
 * lives in the URL, and which service authorization it needs at the counter.
 */
export interface MicroApp {
  name: string;
  specifier: string;
  /** Resident path prefix, e.g. /card. In assisted mode: /assist/<authorization>/card. */
  path: string;
  service: Service;
  navKey: string;
}

export const MICRO_APPS: MicroApp[] = [
  { name: 'card', specifier: '@portal/app-card', path: '/card', service: 'CARD', navKey: 'nav.card' },
  { name: 'health', specifier: '@portal/app-health', path: '/health', service: 'HEALTH', navKey: 'nav.health' },
  {
    name: 'enrollment',
    specifier: '@portal/app-enrollment',
    path: '/enrollment',
    service: 'ENROLLMENT',
    navKey: 'nav.enrollment',
  },
  {
    name: 'eldercare',
    specifier: '@portal/app-eldercare',
    path: '/eldercare',
    service: 'ELDERCARE',
    navKey: 'nav.eldercare',
  },
];

const ASSIST_PREFIX = /^\/assist\/([0-9a-f-]{36})(\/.*)?$/;

/** The authorization id and the rest of the path when the URL is in assisted mode. */
export function parseAssistPath(pathname: string): { authorizationId: string; rest: string } | null {
  const match = ASSIST_PREFIX.exec(pathname);
  return match ? { authorizationId: match[1]!, rest: match[2] ?? '/' } : null;
}

function startsWithSegment(pathname: string, prefix: string) {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** Which app owns a path, in resident or assisted mode. */
export function appForPath(pathname: string): MicroApp | null {
  const assisted = parseAssistPath(pathname);
  const path = assisted ? assisted.rest : pathname;
  return MICRO_APPS.find((app) => startsWithSegment(path, app.path)) ?? null;
}

/** The base path an app's router works under for this URL. */
export function basePathFor(app: MicroApp, pathname: string): string {
  const assisted = parseAssistPath(pathname);
  return assisted ? `/assist/${assisted.authorizationId}${app.path}` : app.path;
}
