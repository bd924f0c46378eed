import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const API_KEY_SCOPES = ['read', 'operate', 'admin'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  /** sha256 of the secret, hex. API keys are 256-bit random, so a fast hash is enough (no password stretching). */
  secretHash: string;
}

/** A key reads `kf_<id>_<secret>`: the id finds the record, the secret is compared by hash in constant time. */
export function parseApiKey(presented: string): { id: string; secret: string } | undefined {
  const match = /^kf_([a-z0-9]{6,32})_([A-Za-z0-9_-]{32,128})$/.exec(presented.trim());
  return match ? { id: match[1]!, secret: match[2]! } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateApiKey(name: string, scopes: ApiKeyScope[]): { key: string; record: ApiKeyRecord } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `kf_${id}_${secret}`, record: { id, name, scopes, secretHash: hashSecret(secret) } };
}

/**
 * Operator keys come from configuration as hashes only (the plaintext key is shown once, when generated):
 * OPERATOR_API_KEYS="<id>:<name>:<scope>+<scope>:<sha256 hex>;…" (or OPERATOR_API_KEYS_FILE).
 */
export function parseApiKeyRecords(raw: string | undefined): ApiKeyRecord[] {
  if (!raw) return [];
  return raw
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const [id, name, scopes, secretHash] = entry.split(':');
      const parsedScopes = (scopes ?? '').split('+').filter(Boolean);
      if (!id || !name || !secretHash || !/^[0-9a-f]{64}$/.test(secretHash)) {
        throw new Error(`OPERATOR_API_KEYS entry ${index + 1} must be <id>:<name>:<scopes>:<sha256 hex>`);
      }
      const unknown = parsedScopes.filter((scope) => !(API_KEY_SCOPES as readonly string[]).includes(scope));
      if (unknown.length > 0 || parsedScopes.length === 0) {
        throw new Error(`OPERATOR_API_KEYS entry ${index + 1} (${name}) has invalid scopes: ${scopes}`);
      }
      return { id, name, scopes: parsedScopes as ApiKeyScope[], secretHash };
    });
}

export function formatApiKeyRecord(record: ApiKeyRecord): string {
  return `${record.id}:${record.name}:${record.scopes.join('+')}:${record.secretHash}`;
}

/** admin implies operate implies read. */
export function grants(scopes: ApiKeyScope[], required: ApiKeyScope): boolean {
  const rank = { read: 0, operate: 1, admin: 2 } as const;
  return scopes.some((scope) => rank[scope] >= rank[required]);
}

export function verifyApiKey(records: ApiKeyRecord[], presented: string): ApiKeyRecord | undefined {
  const parsed = parseApiKey(presented);
  if (!parsed) return undefined;
  const record = records.find((r) => r.id === parsed.id);
  if (!record) return undefined;
  const expected = Buffer.from(record.secretHash, 'hex');
  const actual = Buffer.from(hashSecret(parsed.secret), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? record : undefined;
}
