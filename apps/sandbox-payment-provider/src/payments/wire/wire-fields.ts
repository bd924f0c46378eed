import { SandboxError } from '../domain/sandbox-payment';

/** Reading fields of a provider request the sandbox parsed leniently (form or JSON): 400 when missing. */
export function nested(value: unknown, name: string): Record<string, unknown> {
  const inner = isObject(value) ? value[name] : undefined;
  if (!isObject(inner)) throw new SandboxError('SANDBOX.INVALID', `${name} is missing`);
  return inner;
}

export function field(value: unknown, name: string, maxLength = 256): string {
  const text = isObject(value) ? value[name] : undefined;
  if (typeof text !== 'string' || text === '' || text.length > maxLength)
    throw new SandboxError('SANDBOX.INVALID', `${name} is missing`);
  return text;
}

/** An integer sent as a number (JSON) or as digits (forms). */
export function integer(value: unknown, name: string): number {
  const raw = isObject(value) ? value[name] : undefined;
  const number = typeof raw === 'string' && /^[0-9]{1,15}$/.test(raw) ? Number(raw) : raw;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0)
    throw new SandboxError('SANDBOX.INVALID', `${name} must be a whole number`);
  return number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
