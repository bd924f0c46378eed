import { HttpException, Inject, Injectable, Logger } from '@nestjs/common';

import { PROBLEM_JSON, toProblem } from '@keyflow/service-kit';

import { CONSOLE_CONFIG, type ConsoleConfig } from '../../console.config';
import { type ServiceName } from '../domain/proxy-routes';

export interface UpstreamAnswer {
  status: number;
  contentType: string | null;
  body: Buffer;
  retryAfter?: string;
}

/** Headers passed on to a service: who is asking, what the body is; nothing else of the browser's. */
const FORWARDED = ['authorization', 'content-type', 'accept', 'x-import-label', 'x-order-token'];

/** The services' HTTP APIs, called with the browser's own credentials (the console holds none). */
@Injectable()
export class UpstreamClient {
  private readonly logger = new Logger('Upstream');

  constructor(@Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig) {}

  async call(
    service: ServiceName,
    pathAndQuery: string,
    init: {
      method: string;
      headers: Record<string, string | string[] | undefined>;
      body?: Buffer;
      /** The browser's address as the console determined it, for services' per-address limits. */
      clientAddress?: string;
    },
  ): Promise<UpstreamAnswer> {
    const headers: Record<string, string> = {};
    for (const name of FORWARDED) {
      const value = init.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    // Set by the console, never passed on from the browser (which could name any address).
    if (init.clientAddress) headers['x-forwarded-for'] = init.clientAddress;
    const url = `${this.config.upstreams[service]}/${pathAndQuery}`;
    try {
      const response = await fetch(url, {
        method: init.method,
        headers,
        body: init.body && init.body.length > 0 ? new Uint8Array(init.body) : undefined,
        signal: AbortSignal.timeout(30_000),
        redirect: 'manual',
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: Buffer.from(await response.arrayBuffer()),
        ...(response.headers.get('retry-after') ? { retryAfter: response.headers.get('retry-after')! } : {}),
      };
    } catch (error) {
      // The path only: a query string may carry filters a buyer typed, and never belongs in a log line.
      this.logger.warn(
        `${service} unreachable for ${init.method} /${pathAndQuery.split('?')[0]}: ${(error as Error).name}`,
      );
      const message = `${service} did not answer (${(error as Error).name}); is it running?`;
      return {
        status: 502,
        contentType: PROBLEM_JSON,
        body: Buffer.from(
          JSON.stringify(
            toProblem(new HttpException({ code: 'CONSOLE.UPSTREAM_UNREACHABLE', message }, 502)),
          ),
        ),
      };
    }
  }
}
