import { type KeyObject } from 'node:crypto';

import { asPublicKey } from '@keyflow/sealed-box';
import { ConfigError, positiveInt, Secret, valueOrFile } from '@keyflow/service-kit';

import { MasterKeyring } from '../infrastructure/crypto/master-keyring';

/** What encrypting and fingerprinting the key pool needs: the service and the import CLI share it. */
export interface KeyVaultSettings {
  masterKeys: MasterKeyring;
  fingerprintKey: Secret;
}

export interface InventorySettings extends KeyVaultSettings {
  /** delivery's RSA public key: committed pool keys are sealed for it and only it. */
  deliveryPublicKey: KeyObject;
  /** Longest hold of a reservation when the SKU sets none. */
  reservationMaxSeconds: number;
  /** The safety-net poll for reservations made since the last sweep; known expiries are waited for exactly. */
  expiryScanMs: number;
  importMaxBytes: number;
  /** Least time between two low-stock evaluations of one SKU (per replica): a peak costs one per gap. */
  lowStockMinGapMs: number;
  /** How often every SKU's alarm is evaluated anyway, in case a change notice was lost. */
  lowStockSweepMs: number;
}

export const INVENTORY_SETTINGS = Symbol('INVENTORY_SETTINGS');

export function loadKeyVaultSettings(env: NodeJS.ProcessEnv = process.env): KeyVaultSettings {
  return wrapErrors(() => {
    const masterKeys = valueOrFile(env, 'INVENTORY_MASTER_KEYS');
    if (!masterKeys) throw new Error('INVENTORY_MASTER_KEYS (or _FILE) is required: id:base64(32 bytes);…');
    const fingerprint = valueOrFile(env, 'INVENTORY_FINGERPRINT_KEY')?.trim();
    if (!fingerprint) throw new Error('INVENTORY_FINGERPRINT_KEY (or _FILE) is required: base64(32 bytes)');
    const fingerprintKey = Buffer.from(fingerprint, 'base64');
    if (fingerprintKey.length !== 32) throw new Error('INVENTORY_FINGERPRINT_KEY must be 32 bytes of base64');
    return { masterKeys: MasterKeyring.parse(masterKeys), fingerprintKey: new Secret(fingerprintKey) };
  });
}

/** Reads and checks the inventory settings once at start; a bad one stops the service with its name. */
export function loadInventorySettings(env: NodeJS.ProcessEnv = process.env): InventorySettings {
  const vault = loadKeyVaultSettings(env);
  return wrapErrors(() => {
    const pem = valueOrFile(env, 'DELIVERY_SEALING_PUBLIC_KEY');
    if (!pem)
      throw new Error('DELIVERY_SEALING_PUBLIC_KEY (or _FILE) is required: delivery’s RSA public key');
    let deliveryPublicKey: KeyObject;
    try {
      deliveryPublicKey = asPublicKey(pem);
    } catch (error) {
      throw new Error(`DELIVERY_SEALING_PUBLIC_KEY: ${(error as Error).message}`);
    }
    return {
      ...vault,
      deliveryPublicKey,
      reservationMaxSeconds: positiveInt(env, 'INVENTORY_RESERVATION_MAX_SECONDS', 1800),
      expiryScanMs: positiveInt(env, 'INVENTORY_EXPIRY_SCAN_MS', 10000),
      importMaxBytes: positiveInt(env, 'INVENTORY_IMPORT_MAX_BYTES', 16 * 1024 * 1024),
      lowStockMinGapMs: positiveInt(env, 'INVENTORY_LOW_STOCK_MIN_GAP_MS', 1000),
      lowStockSweepMs: positiveInt(env, 'INVENTORY_LOW_STOCK_SWEEP_MS', 30000),
    };
  });
}

function wrapErrors<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError(`inventory: invalid configuration: ${(error as Error).message}`);
  }
}
