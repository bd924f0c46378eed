import { keyFileFormat, parseKeyFile } from './key-file-parser';

describe('key file parser', () => {
  it('reads one key per line, trimming and skipping blank lines, keeping line numbers', async () => {
    expect(await parseKeyFile('\uFEFFAAA-1\r\n\n  BBB-2  \nCCC-3\n', 'lines')).toEqual([
      { line: 1, value: 'AAA-1' },
      { line: 3, value: 'BBB-2' },
      { line: 4, value: 'CCC-3' },
    ]);
  });

  it('reads the key column of a CSV, whatever its position and case', async () => {
    const csv = 'note,Key\nfirst,AAA-1\nsecond,"BBB,2"\n';
    expect(await parseKeyFile(csv, 'csv')).toEqual([
      { line: 2, value: 'AAA-1' },
      { line: 3, value: 'BBB,2' },
    ]);
    await expect(parseKeyFile('code\nAAA\n', 'csv')).rejects.toMatchObject({
      code: 'INVENTORY.INVALID_KEY_FILE',
    });
  });

  it('refuses the whole file over one unusable line, naming the line but not the key', async () => {
    const secret = 'S'.repeat(600);
    const error = await parseKeyFile(`GOOD\n${secret}\n`, 'lines').catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'INVENTORY.INVALID_KEY_FILE', details: { lines: [{ line: 2 }] } });
    expect((error as Error).message).not.toContain(secret);
    await expect(parseKeyFile('\n\n', 'lines')).rejects.toMatchObject({ code: 'INVENTORY.INVALID_KEY_FILE' });
  });

  it('picks CSV by content type or file name', () => {
    expect(keyFileFormat('text/csv; charset=utf-8')).toBe('csv');
    expect(keyFileFormat('keys.CSV')).toBe('csv');
    expect(keyFileFormat('text/plain')).toBe('lines');
    expect(keyFileFormat(undefined)).toBe('lines');
  });
});
