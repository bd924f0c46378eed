/**
 * Making received callback content storable: Postgres text (and jsonb) cannot hold a NUL, and a refusal
 * that cannot be written is a refusal nobody can audit. Pure, so the rules are tested beside this file.
 */

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as stored: the text itself when Postgres text can hold it, else the exact bytes in base64. */
export function storableBody(raw: Buffer): { body: string; encoding: 'utf8' | 'base64' } {
  if (!raw.includes(0)) {
    try {
      return { body: FATAL_UTF8.decode(raw), encoding: 'utf8' };
    } catch {
      // not UTF-8: kept byte for byte below
    }
  }
  return { body: raw.toString('base64'), encoding: 'base64' };
}

/** C0 controls and DEL written as `\uXXXX`, so a reason or id read from hostile input stays one safe line. */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Bytes no JSON or form body may carry raw: C0 controls other than tab, line feed and carriage return. */
export function firstForbiddenControl(raw: Buffer): number | undefined {
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return byte;
  }
  return undefined;
}

/** Whether a field read from a verified notification holds a control character (e.g. an escaped NUL). */
export function hasControls(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}
