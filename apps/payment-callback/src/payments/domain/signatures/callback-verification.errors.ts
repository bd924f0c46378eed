export type CallbackVerificationCode =
  | 'CALLBACK.MALFORMED'
  | 'CALLBACK.BAD_SIGNATURE'
  | 'CALLBACK.STALE_TIMESTAMP'
  | 'CALLBACK.WRONG_MERCHANT'
  | 'CALLBACK.UNDECRYPTABLE';

/**
 * The one error a callback verifier throws: the callback cannot be trusted. Messages name what was wrong,
 * never a signature, key or decrypted secret, because they end up in logs and the callback table.
 */
export class CallbackVerificationError extends Error {
  constructor(
    readonly code: CallbackVerificationCode,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackVerificationError';
  }
}

export function malformed(message: string): CallbackVerificationError {
  return new CallbackVerificationError('CALLBACK.MALFORMED', message);
}
