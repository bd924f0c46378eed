import { findBatchDuplicates, keyProblem, normalizeKey } from './key-batch';

describe('key batch', () => {
  it('keeps the first of each fingerprint and reports the lines that repeat one', () => {
    const keys = [
      { line: 1, value: 'A', fingerprint: 'fa' },
      { line: 2, value: 'B', fingerprint: 'fb' },
      { line: 3, value: 'A', fingerprint: 'fa' },
      { line: 5, value: 'A', fingerprint: 'fa' },
    ];
    const { unique, duplicateLines } = findBatchDuplicates(keys);
    expect(unique.map((k) => k.line)).toEqual([1, 2]);
    expect(duplicateLines).toEqual([3, 5]);
  });

  it('normalises surrounding whitespace only and refuses unusable lines without quoting them', () => {
    expect(normalizeKey('  AbC-123 \t')).toBe('AbC-123');
    expect(keyProblem('AbC-123')).toBeUndefined();
    expect(keyProblem('x'.repeat(513))).toMatch(/longer/);
    expect(keyProblem('a\u0001b')).toMatch(/control/);
  });
});
