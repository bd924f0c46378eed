/** Why a sealed box could not be made or opened. Messages never include plaintext or key material. */
export type SealedBoxErrorCode =
  | 'SEALED_BOX.MALFORMED'
  | 'SEALED_BOX.UNSUPPORTED_VERSION'
  | 'SEALED_BOX.INVALID_KEY'
  | 'SEALED_BOX.CANNOT_OPEN';
export declare class SealedBoxError extends Error {
  readonly code: SealedBoxErrorCode;
  constructor(code: SealedBoxErrorCode, message: string);
}
//# sourceMappingURL=sealed-box.errors.d.ts.map
