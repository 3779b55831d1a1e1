import type { Logger } from 'pino';
import type { AuditKeys } from './access-log/audit-keys.js';
import type { PortalConfig } from './config.js';
import type { Database } from './db/database.js';
import type { DataProtector } from './security/data-protector.js';
import type { ActiveSession } from './auth/sessions.js';

/** What every request shares: no HTTP needed, so tests call procedures directly. */
export interface ServerDeps {
  db: Database;
  config: PortalConfig;
  protector: DataProtector;
  /** The access log's keys (they never reach the database). */
  audit: AuditKeys;
  logger: Logger;
  now: () => Date;
}

/** What the HTTP layer tells a procedure about its request. */
export interface RequestInfo {
  requestId: string;
  clientAddress: string;
  /** The session cookie's token, if the browser sent one. */
  sessionToken: string | null;
  /** The device cookie's token: this browser signed in to some account before (see auth/trusted-devices.ts). */
  deviceToken: string | null;
  /** The portal's custom request header, which a cross-site form or image cannot send. */
  hasPortalHeader: boolean;
  setCookie(cookie: string): void;
}

export interface Context extends ServerDeps {
  request: RequestInfo;
  session: ActiveSession | null;
}
