import { escapeControls, firstForbiddenControl, hasControls, storableBody } from './stored-callback-text';

describe('stored callback text', () => {
  it('keeps a clean UTF-8 body as text', () => {
    expect(storableBody(Buffer.from('a=1&b=支付'))).toEqual({ body: 'a=1&b=支付', encoding: 'utf8' });
  });

  it('keeps a body with a NUL byte, or bytes that are not UTF-8, exactly, in base64', () => {
    const nul = Buffer.from('a=1\u0000&b=2');
    expect(storableBody(nul)).toEqual({ body: nul.toString('base64'), encoding: 'base64' });
    const latin1 = Buffer.from([0x61, 0x3d, 0xe9, 0x0a]);
    const stored = storableBody(latin1);
    expect(stored.encoding).toBe('base64');
    expect(Buffer.from(stored.body, 'base64').equals(latin1)).toBe(true);
  });

  it('escapes control characters in reasons and ids, leaving other text alone', () => {
    expect(escapeControls('parameter a\u0000b appears twice\n')).toBe(
      'parameter a\\u0000b appears twice\\u000a',
    );
    expect(escapeControls('trade 支付 #1')).toBe('trade 支付 #1');
    expect(hasControls('pi_\u0000')).toBe(true);
    expect(hasControls('pi_123')).toBe(false);
  });

  it('finds raw control bytes a body may not carry, allowing tab, CR and LF', () => {
    expect(firstForbiddenControl(Buffer.from('{"a":\t1}\r\n'))).toBeUndefined();
    expect(firstForbiddenControl(Buffer.from('a=1\u0000'))).toBe(0);
    expect(firstForbiddenControl(Buffer.from('a=\u001b[1m'))).toBe(0x1b);
  });
});
