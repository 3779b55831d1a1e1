import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Fixed development key: only ever used in demo mode, and announced with a warning. */
export const DEMO_DATA_KEY = Buffer.alloc(32, 'shanwei-portal-demo-key-not-secret').toString('base64');

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const schema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgresql://')
      .optional(),
    PORTAL_DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, '.data')),
    PORTAL_STATIC_DIR: z.string().min(1).optional(),
    /** Uploaded enrollment documents; must lie outside the static web root. */
    PORTAL_DOCUMENTS_DIR: z.string().min(1).optional(),
    PORTAL_DEMO: booleanFlag.default(false),
    PORTAL_DATA_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    /** Signs access-log checkpoints and keys its hashes; derived from PORTAL_DATA_KEY when unset. Never stored in the database. */
    PORTAL_AUDIT_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    /** The file outside the database that every signed access-log checkpoint is copied to. */
    ACCESS_LOG_CHECKPOINT_FILE: z.string().min(1).optional(),
    ACCESS_LOG_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
    PORTAL_SEED_RESIDENTS: z.coerce.number().int().min(1).max(5_000_000).default(120),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(72).default(12),
    PORTAL_SECURE_COOKIES: booleanFlag.default(false),
    PORTAL_TRUST_PROXY: booleanFlag.default(false),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
    /** How long a SIGTERM waits for requests in flight before it closes every connection (fractions allowed). */
    SHUTDOWN_DEADLINE_SECONDS: z.coerce.number().positive().max(600).default(10),
  })
  .superRefine((value, ctx) => {
    if (!value.PORTAL_DEMO && !value.PORTAL_DATA_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['PORTAL_DATA_KEY'],
        message: 'is required outside demo mode (32 random bytes, base64: `openssl rand -base64 32`)',
      });
    }
  });

export interface PortalConfig {
  port: number;
  host: string;
  database: { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };
  dataDir: string;
  staticDir: string;
  /** Uploaded documents (enrollment), never served as static files: only tRPC procedures read them. */
  documentsDir: string;
  demo: boolean;
  dataKey: Buffer;
  /** The access log's audit secret; null: derived from dataKey. */
  auditKey: Buffer | null;
  accessLogCheckpointFile: string;
  accessLogCheckpointMs: number;
  seedResidents: number;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  secureCookies: boolean;
  trustProxy: boolean;
  logLevel: string;
  /** Shutdown: requests in flight get this long to finish, then every connection is closed. */
  shutdownDeadlineMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PortalConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    // The key check needs the other values valid to run; report a missing key alongside them anyway.
    const demo = env.PORTAL_DEMO === 'true' || env.PORTAL_DEMO === '1';
    if (!demo && !env.PORTAL_DATA_KEY && !lines.some((line) => line.includes('PORTAL_DATA_KEY'))) {
      lines.push(
        '  PORTAL_DATA_KEY: is required outside demo mode (32 random bytes, base64: `openssl rand -base64 32`)',
      );
    }
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  const dataDir = path.resolve(value.PORTAL_DATA_DIR);
  const staticDir = path.resolve(value.PORTAL_STATIC_DIR ?? path.join(dataDir, 'www'));
  const documentsDir = path.resolve(value.PORTAL_DOCUMENTS_DIR ?? path.join(dataDir, 'documents'));
  const relative = path.relative(staticDir, documentsDir);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new ConfigError(
      'Invalid configuration:\n  PORTAL_DOCUMENTS_DIR: must lie outside the static web root (PORTAL_STATIC_DIR)',
    );
  }
  return {
    port: value.PORT,
    host: value.HOST,
    database: value.DATABASE_URL
      ? { kind: 'postgres', url: value.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    dataDir,
    staticDir,
    documentsDir,
    demo: value.PORTAL_DEMO,
    dataKey: Buffer.from(value.PORTAL_DATA_KEY ?? DEMO_DATA_KEY, 'base64'),
    auditKey: value.PORTAL_AUDIT_KEY ? Buffer.from(value.PORTAL_AUDIT_KEY, 'base64') : null,
    accessLogCheckpointFile: path.resolve(
      value.ACCESS_LOG_CHECKPOINT_FILE ?? path.join(dataDir, 'audit', 'access-log-checkpoints.jsonl'),
    ),
    accessLogCheckpointMs: value.ACCESS_LOG_CHECKPOINT_SECONDS * 1000,
    seedResidents: value.PORTAL_SEED_RESIDENTS,
    sessionIdleMs: value.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: value.SESSION_ABSOLUTE_HOURS * 3_600_000,
    secureCookies: value.PORTAL_SECURE_COOKIES,
    trustProxy: value.PORTAL_TRUST_PROXY,
    logLevel: value.LOG_LEVEL,
    shutdownDeadlineMs: Math.round(value.SHUTDOWN_DEADLINE_SECONDS * 1000),
  };
}
