import { type INestApplication, ValidationPipe } from '@nestjs/common';

import { serveApiDocs } from './api-docs';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RequestValidationException } from './problem-details';

/** The request validation of every service: DTO rules enforced, unknown fields refused, each failure located. */
export function requestValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => RequestValidationException.fromValidationErrors(errors),
  });
}

/**
 * What every HTTP service (and the console) shares at its edge: one error shape (problem details),
 * request validation, no `X-Powered-By` advertising the framework, and its API described at /docs.
 */
export function configureHttp(app: INestApplication, api: { title: string; description: string }): void {
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(requestValidationPipe());
  serveApiDocs(app, api.title, api.description);
}
