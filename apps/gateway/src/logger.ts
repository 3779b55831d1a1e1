import { pino, type Logger } from 'pino';

/**
 * JSON logs. Handlers never log inputs; the redaction below is a second line
 * of defence should a field with personal data ever reach a log call.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'gateway' },
    redact: {
      paths: ['*.idNumber', '*.phone', '*.password', '*.code', '*.token', '*.cookie', 'req.headers.cookie', 'input'],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
