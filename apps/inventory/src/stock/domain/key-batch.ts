/** One card key as read from an import file: its line (for reports) and its text. */
export interface KeyLine {
  line: number;
  value: string;
}

export interface FingerprintedKey extends KeyLine {
  /** Keyed HMAC of the key: how duplicates are found without comparing plaintext. */
  fingerprint: string;
}

export interface BatchDuplicates {
  /** First occurrence of each distinct key, in file order. */
  unique: FingerprintedKey[];
  /** Lines repeating a key seen earlier in the same batch. */
  duplicateLines: number[];
}

export const MAX_KEY_LENGTH = 512;

/** Splits a batch into distinct keys and the lines that repeat one, by fingerprint only. */
export function findBatchDuplicates(keys: FingerprintedKey[]): BatchDuplicates {
  const seen = new Set<string>();
  const unique: FingerprintedKey[] = [];
  const duplicateLines: number[] = [];
  for (const key of keys) {
    if (seen.has(key.fingerprint)) duplicateLines.push(key.line);
    else {
      seen.add(key.fingerprint);
      unique.push(key);
    }
  }
  return { unique, duplicateLines };
}

/**
 * Keys are compared after trimming surrounding whitespace (a trailing space from a spreadsheet is not a
 * different key); inner text and case are kept, since many key formats are case-sensitive.
 */
export function normalizeKey(raw: string): string {
  return raw.trim();
}

/** Why a key line cannot be imported, or undefined when it can. Never quotes the key itself. */
export function keyProblem(value: string): string | undefined {
  if (value.length > MAX_KEY_LENGTH) return `longer than ${MAX_KEY_LENGTH} characters`;
  if (/[\u0000-\u001f\u007f]/.test(value)) return 'contains control characters';
  return undefined;
}
