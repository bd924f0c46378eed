import fc from 'fast-check';

import { formatDecimalAmount, parseDecimalAmount } from './money';
import { CallbackVerificationError } from './signatures/callback-verification.errors';

describe('parseDecimalAmount (provider yuan strings → minor units, exactly)', () => {
  it.each([
    ['50.00', 5000],
    ['50', 5000],
    ['0.01', 1],
    ['0.1', 10],
    ['19.99', 1999],
    ['123456789012.99', 12345678901299],
  ])('%s → %i', (text, minor) => expect(parseDecimalAmount(text)).toBe(minor));

  it.each(['', '-1.00', '1.001', '01.00', '1,00', '1e3', ' 1.00', '1.', '.5', 'NaN', '0x10'])(
    'refuses %j with the typed error',
    (text) => expect(() => parseDecimalAmount(text)).toThrow(CallbackVerificationError),
  );

  it('reads back every amount it formats', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        (minor) => parseDecimalAmount(formatDecimalAmount(minor)) === minor,
      ),
    );
  });
});
