import { type NestExpressApplication } from '@nestjs/platform-express';

import { positiveInt } from '../config/env-readers';

export interface BodyLimits {
  /** Largest request body read, in bytes (HTTP_BODY_LIMIT_BYTES); past it, 413 before anything is parsed. */
  maxBytes: number;
  /** Deepest nesting of objects/arrays accepted in a JSON or form body (HTTP_BODY_MAX_DEPTH). */
  maxDepth: number;
}

export function bodyLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): BodyLimits {
  return {
    maxBytes: positiveInt(env, 'HTTP_BODY_LIMIT_BYTES', 100 * 1024),
    maxDepth: positiveInt(env, 'HTTP_BODY_MAX_DEPTH', 32),
  };
}

/** The error body-parser hands on (its `status` and `type` are kept; `expose` lets the message be shown). */
export class BodyTooDeepError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
  readonly code = 'REQUEST.BODY_TOO_DEEP';

  constructor(maxDepth: number) {
    super(`the request body nests deeper than ${maxDepth} levels`);
  }
}

/**
 * The JSON and form parsers of every service, bounded before parsing: the size by body-parser's `limit`,
 * the depth by a scan of the raw bytes in `verify` (which runs before JSON.parse). Unbounded, a JSON body
 * nested a few thousand levels deep parsed fine and then overflowed the stack in class-transformer (500).
 * Registered before Nest's own parsers, which then see theirs as applied and stay out.
 */
export function useBoundedBodyParsers(app: NestExpressApplication, limits: BodyLimits): void {
  app.useBodyParser('json', {
    limit: limits.maxBytes,
    verify: (_req: unknown, _res: unknown, buffer: Buffer, encoding: string) => {
      if (jsonNestsDeeperThan(buffer, limits.maxDepth, encoding)) throw new BodyTooDeepError(limits.maxDepth);
    },
  });
  app.useBodyParser('urlencoded', {
    limit: limits.maxBytes,
    extended: true,
    depth: limits.maxDepth,
    parameterLimit: 1000,
  });
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether a JSON text opens more than `maxDepth` objects/arrays at once, brackets inside strings aside.
 * UTF-8 is scanned as bytes (no multi-byte sequence contains an ASCII byte); other charsets are decoded.
 */
export function jsonNestsDeeperThan(raw: Buffer, maxDepth: number, encoding = 'utf-8'): boolean {
  const units: ArrayLike<number> = /^utf-?8$/i.test(encoding)
    ? raw
    : Uint16Array.from(new TextDecoder(encoding).decode(raw), (c) => c.charCodeAt(0));
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (unit === BACKSLASH) escaped = true;
      else if (unit === QUOTE) inString = false;
    } else if (unit === QUOTE) inString = true;
    else if (unit === OPEN_OBJECT || unit === OPEN_ARRAY) {
      if (++depth > maxDepth) return true;
    } else if (unit === CLOSE_OBJECT || unit === CLOSE_ARRAY) depth--;
  }
  return false;
}
