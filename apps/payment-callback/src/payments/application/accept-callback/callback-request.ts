import { type IncomingHttpHeaders } from 'node:http';

import { type ProviderKind } from '../../domain/provider-kind';
import { type ReceivedCallback } from '../../infrastructure/callback-log.repository';
import { rawBodyOf, rawBytesOf } from '../../infrastructure/raw-callback-body';

export interface CallbackHttpRequest {
  headers: IncomingHttpHeaders;
  body?: unknown;
  rawBody?: unknown;
}

/** The callback as received: raw body text and flattened headers, for verification and the record. */
export function receivedCallback(provider: ProviderKind, req: CallbackHttpRequest): ReceivedCallback {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { provider, headers, body: rawBodyOf(req), raw: rawBytesOf(req) };
}
