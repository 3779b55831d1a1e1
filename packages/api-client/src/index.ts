import { createTRPCClient, httpBatchLink, TRPCClientError, type TRPCClient, type TRPCLink } from '@trpc/client';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { observable } from '@trpc/server/observable';
import superjson from 'superjson';
import type { AppRouter } from '@portal/gateway/router';

export type { AppRouter };
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type PortalClient = TRPCClient<AppRouter>;

/** Sent with every call; the gateway refuses calls without it (cross-site request forgery guard). */
export const PORTAL_HEADER = 'x-portal-request';
/** Dispatched on window when the gateway says the session is gone, so the shell can ask to sign in again. */
export const SESSION_EXPIRED_EVENT = 'portal:session-expired';
/** Dispatched on window after any app's change succeeded, so the shell can refresh what it shows (the unread count). */
export const DATA_CHANGED_EVENT = 'portal:data-changed';

export interface PortalErrorInfo {
  /** An i18n key, e.g. 'errors.invalidCredentials'. */
  messageKey: string;
  params: Record<string, string | number>;
  /** Field path -> i18n key, for bad input. */
  fieldErrors: Record<string, string>;
  code: string | null;
}

interface ErrorData {
  code?: string;
  messageKey?: string;
  params?: Record<string, string | number>;
  fieldErrors?: Record<string, string>;
}

export function describeError(error: unknown): PortalErrorInfo {
  if (error instanceof TRPCClientError) {
    const data = (error.data ?? {}) as ErrorData;
    if (!data.messageKey) {
      return { messageKey: 'errors.network', params: {}, fieldErrors: {}, code: data.code ?? null };
    }
    return {
      messageKey: data.messageKey,
      params: data.params ?? {},
      fieldErrors: data.fieldErrors ?? {},
      code: data.code ?? null,
    };
  }
  return { messageKey: 'errors.unexpected', params: {}, fieldErrors: {}, code: null };
}

/**
 * A failed load as one message. A page that loads has no form fields to put
 * field errors beside, so a bad input (a ?person= or ?for= in the URL that is
 * not an id) is told by its field's message, which says more than "some
 * entries are not valid". Beside describeError because it only refines it.
 */
export function describeLoadError(error: unknown): PortalErrorInfo {
  const info = describeError(error);
  const fieldKey = Object.values(info.fieldErrors)[0];
  return fieldKey ? { ...info, messageKey: fieldKey, fieldErrors: {} } : info;
}

/** Tells the page when a change succeeded, and when a call failed because the session ended (idle, expired, or signed out elsewhere). */
const sessionWatchLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) =>
      next(op).subscribe({
        next(value) {
          observer.next(value);
          if (op.type === 'mutation' && typeof window !== 'undefined') {
            window.dispatchEvent(new CustomEvent(DATA_CHANGED_EVENT, { detail: { path: op.path } }));
          }
        },
        complete: () => observer.complete(),
        error(error) {
          const data = (error.data ?? {}) as ErrorData;
          if (data.messageKey === 'errors.signInRequired' && typeof window !== 'undefined' && op.path !== 'auth.me') {
            window.dispatchEvent(new CustomEvent(SESSION_EXPIRED_EVENT));
          }
          observer.error(error);
        },
      }),
    );

let client: PortalClient | null = null;

/** One client per page, shared by the shell and every micro-app (it is loaded once, through the import map). */
export function getPortalClient(): PortalClient {
  client ??= createTRPCClient<AppRouter>({
    links: [
      sessionWatchLink,
      httpBatchLink({
        url: '/trpc',
        transformer: superjson,
        maxURLLength: 2000,
        // The gateway refuses larger batches (MAX_BATCH_SIZE in apps/gateway/src/http/server.ts).
        maxItems: 10,
        headers: () => ({ [PORTAL_HEADER]: '1' }),
        fetch: (url, options) => fetch(url, { ...(options as RequestInit), credentials: 'same-origin' }),
      }),
    ],
  });
  return client;
}
