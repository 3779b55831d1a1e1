import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEMO_DATA_KEY, loadConfig } from '../src/config.js';

const KEY = randomBytes(32).toString('base64');

/** Loads the configuration and returns the ConfigError it must throw. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** The variables a ConfigError names, one per "  NAME: problem" line. */
function namedVariables(error: ConfigError): string[] {
  return [...error.message.matchAll(/^ {2}([A-Z_]+): /gm)].map((match) => match[1]!);
}

describe('configuration from the environment', () => {
  it.each([
    ['not a number', 'abc'],
    ['out of range', '70000'],
    ['negative', '-1'],
    ['not whole', '80.5'],
  ])('a PORT that is %s is refused, naming PORT', (_, port) => {
    expect(namedVariables(configError({ PORTAL_DATA_KEY: KEY, PORT: port }))).toEqual(['PORT']);
  });

  it.each([
    ['another database', 'mysql://root@localhost/portal'],
    ['no scheme', 'localhost:5432/portal'],
    ['empty', ''],
  ])('a DATABASE_URL for %s is refused, naming DATABASE_URL', (_, url) => {
    const error = configError({ PORTAL_DATA_KEY: KEY, DATABASE_URL: url });
    expect(namedVariables(error)).toEqual(['DATABASE_URL']);
    expect(error.message).toMatch(/postgresql:\/\//);
  });

  it('outside demo mode PORTAL_DATA_KEY is required, and the message says how to make one', () => {
    const error = configError({});
    expect(namedVariables(error)).toEqual(['PORTAL_DATA_KEY']);
    expect(error.message).toMatch(/openssl rand -base64 32/);
    expect(namedVariables(configError({ PORTAL_DEMO: 'false' }))).toEqual(['PORTAL_DATA_KEY']);
  });

  it('a PORTAL_DATA_KEY that is not 32 bytes is refused, naming it', () => {
    expect(namedVariables(configError({ PORTAL_DATA_KEY: randomBytes(16).toString('base64') }))).toEqual([
      'PORTAL_DATA_KEY',
    ]);
    expect(namedVariables(configError({ PORTAL_DEMO: 'true', PORTAL_DATA_KEY: 'short' }))).toEqual(['PORTAL_DATA_KEY']);
  });

  it('every bad variable is named at once', () => {
    expect(
      namedVariables(
        configError({ PORT: 'x', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', PORTAL_DATA_KEY: KEY }),
      ).sort(),
    ).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT'].sort());
  });

  it('a good environment gives the settings it names', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://portal@db:5432/portal',
      PORTAL_DATA_KEY: KEY,
      SESSION_IDLE_MINUTES: '15',
      SESSION_ABSOLUTE_HOURS: '8',
      PORTAL_SECURE_COOKIES: '1',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      database: { kind: 'postgres', url: 'postgresql://portal@db:5432/portal' },
      demo: false,
      sessionIdleMs: 15 * 60_000,
      sessionAbsoluteMs: 8 * 3_600_000,
      secureCookies: true,
    });
    expect(config.dataKey.equals(Buffer.from(KEY, 'base64'))).toBe(true);
  });

  it('uploaded documents live outside the static web root: by default beside it, and a directory inside it is refused', () => {
    const config = loadConfig({ PORTAL_DEMO: 'true', PORTAL_DATA_DIR: '/srv/portal' });
    expect({ staticDir: config.staticDir, documentsDir: config.documentsDir }).toEqual({
      staticDir: '/srv/portal/www',
      documentsDir: '/srv/portal/documents',
    });
    for (const inside of ['/srv/portal/www', '/srv/portal/www/uploads']) {
      expect(
        namedVariables(
          configError({ PORTAL_DEMO: 'true', PORTAL_DATA_DIR: '/srv/portal', PORTAL_DOCUMENTS_DIR: inside }),
        ),
      ).toEqual(['PORTAL_DOCUMENTS_DIR']);
    }
    expect(
      loadConfig({
        PORTAL_DEMO: 'true',
        PORTAL_STATIC_DIR: '/var/www/portal',
        PORTAL_DOCUMENTS_DIR: '/var/lib/portal/documents',
      }).documentsDir,
    ).toBe('/var/lib/portal/documents');
  });

  it('demo mode runs on embedded PGlite with the announced demo key', () => {
    const config = loadConfig({ PORTAL_DEMO: 'true' });
    expect(config.database.kind).toBe('pglite');
    expect(config.dataKey.equals(Buffer.from(DEMO_DATA_KEY, 'base64'))).toBe(true);
    expect(config).toMatchObject({
      port: 3000,
      sessionIdleMs: 30 * 60_000,
      sessionAbsoluteMs: 12 * 3_600_000,
      secureCookies: false,
      shutdownDeadlineMs: 10_000,
    });
  });

  it('the shutdown deadline is a positive number of seconds, fractions allowed', () => {
    expect(loadConfig({ PORTAL_DEMO: 'true', SHUTDOWN_DEADLINE_SECONDS: '0.3' }).shutdownDeadlineMs).toBe(300);
    expect(loadConfig({ PORTAL_DEMO: 'true', SHUTDOWN_DEADLINE_SECONDS: '25' }).shutdownDeadlineMs).toBe(25_000);
    for (const bad of ['0', '-5', 'soon', '3600']) {
      expect(namedVariables(configError({ PORTAL_DEMO: 'true', SHUTDOWN_DEADLINE_SECONDS: bad }))).toEqual([
        'SHUTDOWN_DEADLINE_SECONDS',
      ]);
    }
  });
});

describe('configuration problems are reported together', () => {
  it('a missing PORTAL_DATA_KEY is named even when another variable is also wrong', () => {
    expect(namedVariables(configError({ PORT: 'abc' })).sort()).toEqual(['PORT', 'PORTAL_DATA_KEY']);
  });
});
