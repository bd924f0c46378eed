import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { type Request, type Response } from 'express';

import { PROBLEM_JSON, toProblem } from './problem-details';

/** The challenge on every 401: operator endpoints take an API key as a bearer token (or X-Api-Key). */
export const WWW_AUTHENTICATE = 'Bearer realm="keyflow"';

/**
 * The one exception filter of every HTTP service: whatever a handler, guard or pipe throws leaves as
 * RFC 9457 `application/problem+json`. Headers set before the throw (e.g. Retry-After) stay; a 401 always
 * carries WWW-Authenticate; a 5xx is logged with its stack, and its cause never reaches the client.
 * Registered for HTTP only (Kafka handlers have their own filter), so other contexts are rethrown.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const problem = toProblem(exception);
    if (problem.status >= 500)
      this.logger.error(
        `${request.method} ${request.originalUrl ?? request.url} → ${problem.status}: ${
          (exception as Error)?.stack ?? String(exception)
        }`,
      );
    if (response.headersSent) return;
    if (problem.status === 401 && !response.getHeader('www-authenticate'))
      response.setHeader('WWW-Authenticate', WWW_AUTHENTICATE);
    response.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem));
  }
}
