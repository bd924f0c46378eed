import { Injectable, type NestMiddleware } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

import { httpRequestDuration, httpRequests } from '@keyflow/observability';

/**
 * Rate, errors and duration of every HTTP request, labelled by the route pattern (`/v1/orders/:id`), never
 * the raw path: ids in labels would explode the number of series.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = routeOf(request);
      if (route === '/metrics') return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      httpRequestDuration.observe({ method: request.method, route }, seconds);
    });
    next();
  }
}

function routeOf(request: Request): string {
  const pattern = (request.route as { path?: string } | undefined)?.path;
  return pattern ? `${request.baseUrl ?? ''}${pattern}` : 'unmatched';
}
