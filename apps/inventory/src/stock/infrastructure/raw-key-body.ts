import { type IncomingMessage, type ServerResponse } from 'node:http';

import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';

import { INVENTORY_SETTINGS, type InventorySettings } from '../config/inventory-settings';

/** POST /v1/skus/:sku/keys — relative to the /v1/skus mount point. */
const KEY_IMPORT_PATH = /^\/[^/]+\/keys\/?(\?.*)?$/;

/**
 * Key imports arrive as text/plain or text/csv, which the service kit's bootstrap does not parse. This
 * provider runs while the app is created, before Nest installs its JSON parser, and reads text bodies of
 * the import route into `req.body` as a string, up to INVENTORY_IMPORT_MAX_BYTES (413 beyond).
 */
@Injectable()
export class RawKeyBody {
  constructor(adapterHost: HttpAdapterHost, @Inject(INVENTORY_SETTINGS) settings: InventorySettings) {
    adapterHost.httpAdapter.use(
      '/v1/skus',
      (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: (error?: unknown) => void) => {
        const type = req.headers['content-type'] ?? '';
        if (req.method !== 'POST' || !KEY_IMPORT_PATH.test(req.url ?? '') || !type.startsWith('text/'))
          return next();
        readText(req, res, next, settings.importMaxBytes);
      },
    );
  }
}

function readText(
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  next: (error?: unknown) => void,
  limit: number,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    else chunks.push(chunk);
  });
  req.on('end', () => {
    if (tooLarge) {
      res.writeHead(413, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          code: 'INVENTORY.IMPORT_TOO_LARGE',
          message: `import bodies are limited to ${limit} bytes`,
        }),
      );
      return;
    }
    req.body = Buffer.concat(chunks).toString('utf8');
    next();
  });
  req.on('error', next);
}
