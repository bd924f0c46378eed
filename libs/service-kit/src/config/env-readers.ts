import { readFileSync } from 'node:fs';

/**
 * `NAME` or `NAME_FILE` (a path, e.g. a mounted Kubernetes/Docker secret), never both. Values are never
 * echoed in errors: only the variable name and what was wrong.
 */
export function valueOrFile(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) throw new Error(`set ${name} or ${name}_FILE, not both`);
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(
        `${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return direct || undefined;
}

export function requiredUrl(env: NodeJS.ProcessEnv, name: string): string {
  const raw = env[name];
  if (!raw) throw new Error(`${name} is required (an http(s) URL)`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be http(s)`);
  return raw.replace(/\/+$/, '');
}

export function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** A finite number ≥ `min` (fractions allowed), or `fallback` when unset or empty. */
export function numberAtLeast(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`${name} must be a number ≥ ${min}, got "${raw}"`);
  return value;
}
