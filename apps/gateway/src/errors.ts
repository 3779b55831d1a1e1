import { TRPCError } from '@trpc/server';

type TrpcCode = ConstructorParameters<typeof TRPCError>[0]['code'];

/**
 * The one error type handlers throw. `messageKey` is what the browser
 * translates (see packages/ui/src/i18n); the English message is for logs and
 * API users only.
 */
export class AppError extends TRPCError {
  readonly messageKey: string;
  readonly params: Record<string, string | number> | undefined;

  constructor(code: TrpcCode, messageKey: string, message: string, params?: Record<string, string | number>) {
    super({ code, message });
    this.messageKey = messageKey;
    this.params = params;
  }
}

export const errors = {
  signInRequired: () => new AppError('UNAUTHORIZED', 'errors.signInRequired', 'Sign in first.'),
  forbidden: () => new AppError('FORBIDDEN', 'errors.forbidden', 'You may not do this.'),
  csrf: () => new AppError('FORBIDDEN', 'errors.csrf', 'Request refused: missing portal request header.'),
  notFound: (what: string) => new AppError('NOT_FOUND', 'errors.notFound', `${what} not found.`),
  conflict: (messageKey: string, message: string) => new AppError('CONFLICT', messageKey, message),
};
