import { inspect } from 'node:util';

/**
 * A secret read from the environment or a mounted file. It prints as [redacted] in logs, JSON and
 * util.inspect, so a config object can be logged whole without leaking; `reveal()` is the only way in.
 */
export class Secret {
  readonly #value: Buffer;

  constructor(value: Buffer) {
    this.#value = value;
  }

  reveal(): Buffer {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
