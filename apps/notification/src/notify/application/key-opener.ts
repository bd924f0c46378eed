import { type KeyObject } from 'node:crypto';

import { type SealedCardKey } from '@keyflow/contracts';
import { open } from '@keyflow/sealed-box';

import { SendFailedError } from '../domain/notification.errors';

/**
 * Opens the keys delivery sealed for us, just before an email is built; the plaintext lives only in that
 * send's memory. A box that does not open (sealed for another key, altered) will never open: permanent,
 * so the fallback channel takes over. The error names the key id, never any key material.
 */
export async function openKeys(sealed: readonly SealedCardKey[], privateKey: KeyObject): Promise<string[]> {
  return Promise.all(
    sealed.map(async (key) => {
      try {
        return await open(key.sealed, privateKey);
      } catch (error) {
        throw new SendFailedError(
          `key ${key.keyId} cannot be opened (${(error as { code?: string }).code ?? 'error'})`,
          true,
        );
      }
    }),
  );
}
