import { CallbackVerificationError } from './signatures/callback-verification.errors';

export interface Amount {
  amountMinor: number;
  currency: string;
}

const DECIMAL = /^(0|[1-9][0-9]{0,11})(?:\.([0-9]{1,2}))?$/;

/**
 * Reads a provider's decimal amount ("50.00" yuan) as integer minor units (5000 fen) without floating
 * point: "0.1" + "0.2" style rounding must never turn a tampered amount into a matching one.
 */
export function parseDecimalAmount(text: string): number {
  const match = DECIMAL.exec(text);
  if (!match)
    throw new CallbackVerificationError(
      'CALLBACK.MALFORMED',
      `amount "${text.slice(0, 20)}" is not a decimal`,
    );
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}

export function formatDecimalAmount(amountMinor: number): string {
  const whole = Math.floor(amountMinor / 100);
  const fraction = String(amountMinor % 100).padStart(2, '0');
  return `${whole}.${fraction}`;
}

export function sameAmount(a: Amount, b: Amount): boolean {
  return a.amountMinor === b.amountMinor && a.currency === b.currency;
}
