import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';

import { RequestValidationException } from './problem-details';

/**
 * The one validation pipe: whitelist + forbidNonWhitelisted, plus the gap they leave. class-transformer's
 * plainToInstance silently skips a key whose name the target already has as a method or getter-only
 * accessor (`constructor`, `toString`, `hasOwnProperty`, a DTO's own methods) and never copies `__proto__`;
 * the whitelist then checks the transformed instance, so those keys were accepted unseen (201 for
 * `{"constructor":1}` where `{"zzz":1}` is 400). After the usual checks, every own key of what the client
 * sent must have landed on the instance: one that did not is refused like any other unknown field.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => RequestValidationException.fromValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Taken first: Nest's pipe deletes `__proto__`, `prototype` and `constructor` from the input in place.
    const sent = shapeOf(value, 0);
    const result: unknown = await super.transform(value, metadata);
    const dropped = droppedKeys(sent, result, '');
    if (dropped.length > 0) {
      throw new RequestValidationException(
        dropped.map((path) => ({
          pointer: `#/${path.split('.').map(escapePointerToken).join('/')}`,
          detail: `property ${path} should not exist`,
        })),
      );
    }
    return result;
  }
}

/** The key structure of what was sent: objects as key → shape maps, arrays as lists, leaves as null. */
type Shape = Map<string, Shape> | Shape[] | null;

/** Bodies are depth-bounded before parsing (body-limits.ts); this bound only keeps a direct call finite. */
const MAX_SHAPE_DEPTH = 64;

function shapeOf(value: unknown, depth: number): Shape {
  if (depth > MAX_SHAPE_DEPTH || typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) return value.map((item) => shapeOf(item, depth + 1));
  if (value instanceof Date || ArrayBuffer.isView(value)) return null;
  return new Map(
    Object.keys(value).map((key) => [key, shapeOf((value as Record<string, unknown>)[key], depth + 1)]),
  );
}

/** Paths of keys the client sent that are missing from the class instances built from them. */
function droppedKeys(sent: Shape, built: unknown, prefix: string): string[] {
  if (Array.isArray(sent)) {
    if (!Array.isArray(built)) return [];
    return sent.flatMap((item, index) => droppedKeys(item, built[index], `${prefix}${index}.`));
  }
  if (!sent || !isClassInstance(built)) return [];
  return [...sent].flatMap(([key, shape]) =>
    Object.prototype.hasOwnProperty.call(built, key)
      ? droppedKeys(shape, (built as Record<string, unknown>)[key], `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

/** A DTO instance (validated with a whitelist); free-form objects and Dates are not checked here. */
function isClassInstance(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype !== null && prototype !== Object.prototype;
}

/** RFC 6901: `~` and `/` inside a key are escaped so the pointer still names that key. */
function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
