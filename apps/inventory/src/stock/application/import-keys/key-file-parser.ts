import { parse } from 'csv-parse';

import { InventoryError } from '../../domain/inventory.errors';
import { type KeyLine, keyProblem, normalizeKey } from '../../domain/key-batch';

export type KeyFileFormat = 'lines' | 'csv';

const REPORTED_LINES = 20;

/** The format of an import body: CSV by content type or file name, else one key per line. */
export function keyFileFormat(contentTypeOrFileName: string | undefined): KeyFileFormat {
  const hint = (contentTypeOrFileName ?? '').toLowerCase();
  return hint.includes('csv') ? 'csv' : 'lines';
}

/**
 * Reads card keys from an import file: plain text (one key per line, blank lines skipped) or CSV with a
 * `key` column. Line numbers are kept for the report. A file with any unusable line is refused whole
 * (all-or-nothing per batch), naming the lines and never quoting them.
 */
export async function parseKeyFile(text: string, format: KeyFileFormat): Promise<KeyLine[]> {
  const keys = format === 'csv' ? await csvKeys(text) : lineKeys(text);
  const problems = keys
    .map((key) => ({ line: key.line, problem: keyProblem(key.value) }))
    .filter((entry): entry is { line: number; problem: string } => entry.problem !== undefined);
  if (problems.length > 0) {
    throw new InventoryError(
      'INVENTORY.INVALID_KEY_FILE',
      `${problems.length} unusable line(s), e.g. line ${problems[0]!.line}: ${problems[0]!.problem}`,
      { lines: problems.slice(0, REPORTED_LINES) },
    );
  }
  if (keys.length === 0) throw new InventoryError('INVENTORY.INVALID_KEY_FILE', 'the file holds no keys');
  return keys;
}

function lineKeys(text: string): KeyLine[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw, index) => ({ line: index + 1, value: normalizeKey(raw) }))
    .filter((key) => key.value !== '');
}

async function csvKeys(text: string): Promise<KeyLine[]> {
  const records = await new Promise<Array<{ record: Record<string, string>; info: { lines: number } }>>(
    (resolve, reject) =>
      parse(
        text,
        {
          bom: true,
          columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
          info: true,
          skip_empty_lines: true,
        },
        (error, rows) => (error ? reject(csvError(error)) : resolve(rows as never)),
      ),
  );
  if (records.length > 0 && !('key' in records[0]!.record)) {
    throw new InventoryError('INVENTORY.INVALID_KEY_FILE', 'the CSV has no "key" column');
  }
  return records
    .map(({ record, info }) => ({ line: info.lines, value: normalizeKey(record.key ?? '') }))
    .filter((key) => key.value !== '');
}

/** csv-parse errors can quote the offending field; report only where it was. */
function csvError(error: Error & { lines?: number; code?: string }): InventoryError {
  return new InventoryError(
    'INVENTORY.INVALID_KEY_FILE',
    `the CSV cannot be read (${error.code ?? 'parse error'} near line ${error.lines ?? '?'})`,
  );
}
