import { STATUS_CODES } from 'node:http';

import { HttpException } from '@nestjs/common';
import { type ValidationError } from 'class-validator';

/** Media type of RFC 9457 problem details. */
export const PROBLEM_JSON = 'application/problem+json';

/** One failed rule of a request, located by a JSON Pointer into the body (RFC 9457 §3's `errors`). */
export interface ProblemFieldError {
  pointer: string;
  detail: string;
}

/** The one error body of every service (RFC 9457), with our stable `code` as an extension member. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** The code of request-validation failures; `errors` then lists each failed rule. */
export const VALIDATION_FAILED = 'REQUEST.INVALID';

/**
 * Problem types are tag URIs (RFC 4151, as RFC 9457 §3.1.1 suggests for types that need not be
 * dereferenced): stable names derived from the code, e.g. `tag:keyflow.dev,2026:problem:CHECKOUT.BUSY`.
 */
export function problemType(code: string): string {
  return `tag:keyflow.dev,2026:problem:${code}`;
}

/** `HTTP.NOT_FOUND` for errors thrown without a code of their own. */
export function codeForStatus(status: number): string {
  const phrase = STATUS_CODES[status] ?? 'Error';
  return `HTTP.${phrase
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '')}`;
}

/**
 * Thrown by the ValidationPipe: the request broke the DTO's rules. Carries each failure with its
 * location so a client can point at the field.
 */
export class RequestValidationException extends HttpException {
  constructor(readonly errors: ProblemFieldError[]) {
    super({ code: VALIDATION_FAILED, message: errors.map((e) => e.detail).join('; '), errors }, 400);
  }

  static fromValidationErrors(errors: ValidationError[]): RequestValidationException {
    return new RequestValidationException(flatten(errors, ''));
  }
}

function flatten(errors: ValidationError[], parent: string): ProblemFieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${parent}/${String(error.property).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({ pointer: `#${pointer}`, detail }));
    return [...own, ...flatten(error.children ?? [], pointer)];
  });
}

const RESERVED = new Set([
  'type',
  'title',
  'status',
  'detail',
  'code',
  'errors',
  'statusCode',
  'message',
  'error',
]);

/**
 * Maps anything thrown while answering a request to problem details. An HttpException keeps its status,
 * its `code` and extra members (e.g. `retryAfterSeconds`); Nest's own bodies (`{statusCode, message,
 * error}`) and plain strings become `detail`. Errors that carry an HTTP status of their own (Express's
 * body parser: malformed JSON, too large) keep it. Anything else is a 500 that says nothing of its cause.
 */
export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    if (typeof body === 'string') return problem(status, codeForStatus(status), body);
    const fields = body as Record<string, unknown>;
    const message = fields.message;
    // `detail` when the body is already a problem (the console passing on a service's answer).
    const detail =
      typeof fields.detail === 'string'
        ? fields.detail
        : Array.isArray(message)
          ? message.map(String).join('; ')
          : typeof message === 'string'
            ? message
            : exception.message;
    const code = typeof fields.code === 'string' ? fields.code : codeForStatus(status);
    const extensions = Object.fromEntries(Object.entries(fields).filter(([key]) => !RESERVED.has(key)));
    const errors = Array.isArray(fields.errors)
      ? (fields.errors as ProblemFieldError[])
      : Array.isArray(message)
        ? message.map((m) => ({ pointer: '#', detail: String(m) }))
        : undefined;
    return { ...extensions, ...problem(status, code, detail), ...(errors ? { errors } : {}) };
  }
  const carried = statusCarriedBy(exception);
  if (carried) return problem(carried, codeForStatus(carried), (exception as Error).message);
  return problem(500, codeForStatus(500), 'the service could not answer this request; it has been logged');
}

function problem(status: number, code: string, detail: string): ProblemDetails {
  return { type: problemType(code), title: STATUS_CODES[status] ?? 'Error', status, detail, code };
}

/** http-errors style errors (body-parser): a client error status and `expose: true` may be shown. */
function statusCarriedBy(exception: unknown): number | undefined {
  if (!exception || typeof exception !== 'object') return undefined;
  const { status, statusCode, expose } = exception as {
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 500 && expose === true ? value : undefined;
}
