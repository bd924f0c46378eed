import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type IncomingMessage, type ServerResponse } from 'node:http';

export const CALLBACK_PATH = '/v1/callbacks';
const LIMIT_BYTES = 64 * 1024;

/**
 * Provider signatures cover the exact bytes sent, so callback routes must see the raw body, never a
 * re-serialised parse. The service kit's bootstrap creates the app without `rawBody`, and Nest installs
 * its JSON/urlencoded parsers in `app.init()`, before any module middleware; this provider runs while the
 * app is being created and puts a raw reader on the callback path first. The reader consumes the
 * stream, so the later parsers see a finished request and leave `req.body` (a Buffer) alone.
 */
@Injectable()
export class RawCallbackBody {
  constructor(adapterHost: HttpAdapterHost) {
    adapterHost.httpAdapter.use(CALLBACK_PATH, readRawBody);
  }
}

function readRawBody(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > LIMIT_BYTES) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooLarge) {
      res
        .writeHead(413, { 'content-type': 'application/json' })
        .end('{"code":"FAIL","message":"body too large"}');
      return;
    }
    req.body = Buffer.concat(chunks);
    next();
  });
  req.on('error', next);
}

/** The raw body of a callback request: from the reader above, or Nest's own when rawBody is enabled. */
export function rawBodyOf(req: { body?: unknown; rawBody?: unknown }): string {
  return rawBytesOf(req).toString('utf8');
}

/** The same, as the exact bytes received (the callback log keeps these). */
export function rawBytesOf(req: { body?: unknown; rawBody?: unknown }): Buffer {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
  return Buffer.alloc(0);
}
