import { All, Controller, HttpException, HttpStatus, Req, Res } from '@nestjs/common';
import { type Request, type Response } from 'express';

import { proxyTarget } from '../domain/proxy-routes';
import { UpstreamClient } from '../infrastructure/upstream-client';

const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * `/api/<service>/<path>` → the service's `/<path>`, with the operator's key from the browser. One origin
 * for the browser (no CORS), and the services keep deciding who may do what (scopes on each endpoint).
 */
@Controller('api')
export class ProxyController {
  constructor(private readonly upstream: UpstreamClient) {}

  @All(':service/*path')
  async forward(@Req() request: Request, @Res() response: Response): Promise<void> {
    const [rawPath, query] = splitOnce(request.originalUrl.replace(/^\/api\/[^/?]+\/?/, ''), '?');
    const target = proxyTarget(request.params.service as string, rawPath);
    if ('refused' in target)
      throw new HttpException({ code: 'CONSOLE.NOT_PROXIED', message: target.refused }, 404);
    if (!/^Bearer \S+$/.test(request.headers.authorization ?? '')) {
      throw new HttpException(
        { code: 'CONSOLE.LOGIN_REQUIRED', message: 'log in with an operator API key first' },
        HttpStatus.UNAUTHORIZED,
      );
    }
    const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await readBody(request);
    const answer = await this.upstream.call(target.service, query ? `${target.path}?${query}` : target.path, {
      method: request.method,
      headers: request.headers,
      body,
    });
    response.status(answer.status);
    response.setHeader('cache-control', 'no-store');
    if (answer.contentType) response.setHeader('content-type', answer.contentType);
    response.end(answer.body);
  }
}

function splitOnce(value: string, separator: string): [string, string | undefined] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
}

async function readBody(request: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpException('request body too large (8 MiB at most)', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
