import { Secret } from '@keyflow/service-kit';
import { InventoryError } from '../../domain/inventory.errors';

const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;
const KEY_BYTES = 32;

export interface MasterKey {
  id: string;
  key: Secret;
}

/**
 * The master keys that wrap the data keys of card-key batches. The first is current (new batches and
 * re-wraps use it); the others stay only so batches wrapped under them still open until re-wrapped.
 * Configured as `id:base64(32 bytes)` entries separated by `;`, `,` or newlines.
 */
export class MasterKeyring {
  private readonly byId: Map<string, MasterKey>;

  private constructor(private readonly keys: MasterKey[]) {
    this.byId = new Map(keys.map((key) => [key.id, key]));
  }

  static parse(raw: string, variable = 'INVENTORY_MASTER_KEYS'): MasterKeyring {
    const entries = raw
      .split(/[;,\n]/)
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 0) throw new Error(`${variable} must list at least one id:base64 key`);
    const keys = entries.map((entry, index) => {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator);
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (separator < 1 || !KEY_ID.test(id))
        throw new Error(`${variable} entry ${index + 1}: the id must match ${KEY_ID.source}`);
      if (key.length !== KEY_BYTES)
        throw new Error(
          `${variable} entry ${index + 1} (${id}): the key must be ${KEY_BYTES} bytes of base64`,
        );
      return { id, key: new Secret(key) };
    });
    if (new Set(keys.map((k) => k.id)).size !== keys.length)
      throw new Error(`${variable} lists a key id twice`);
    return new MasterKeyring(keys);
  }

  get current(): MasterKey {
    return this.keys[0]!;
  }

  get ids(): string[] {
    return this.keys.map((key) => key.id);
  }

  get(id: string): MasterKey {
    const key = this.byId.get(id);
    if (!key)
      throw new InventoryError('INVENTORY.MASTER_KEY_UNKNOWN', `master key "${id}" is not configured`);
    return key;
  }

  toJSON(): string {
    return `MasterKeyring(${this.ids.join(', ')})`;
  }
}
