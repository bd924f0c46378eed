import { jsonNestsDeeperThan } from './body-limits';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('jsonNestsDeeperThan', () => {
  it('accepts nesting up to the bound and refuses one level more, arrays and objects alike', () => {
    expect(jsonNestsDeeperThan(Buffer.from(nested(32)), 32)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from(nested(33)), 32)).toBe(true);
    expect(jsonNestsDeeperThan(Buffer.from(deepObject(32)), 32)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from(deepObject(5000)), 32)).toBe(true);
  });

  it('counts depth, not the number of brackets: siblings do not add up', () => {
    const wide = `[${Array.from({ length: 1000 }, () => '{"a":[1]}').join(',')}]`;
    expect(jsonNestsDeeperThan(Buffer.from(wide), 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ note: `"\\${'['.repeat(100)}`, keys: ['{{{{'] });
    expect(jsonNestsDeeperThan(Buffer.from(text), 2)).toBe(false);
  });

  it('scans multi-byte UTF-8 text without losing its place', () => {
    expect(jsonNestsDeeperThan(Buffer.from(`{"名":"[[[[","k":${nested(3)}}`), 4)).toBe(false);
    expect(jsonNestsDeeperThan(Buffer.from(`{"名":"[[[[","k":${nested(4)}}`), 4)).toBe(true);
  });
});

describe('jsonNestsDeeperThan in UTF-16', () => {
  it('decodes before scanning', () => {
    const utf16 = (text: string) => Buffer.from(text, 'utf16le');
    expect(jsonNestsDeeperThan(utf16(nested(3)), 3, 'utf-16le')).toBe(false);
    expect(jsonNestsDeeperThan(utf16(nested(4)), 3, 'utf-16le')).toBe(true);
  });
});
