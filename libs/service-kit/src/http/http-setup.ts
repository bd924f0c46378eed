import { type INestApplication, type ValidationPipe } from '@nestjs/common';

import { serveApiDocs } from './api-docs';
import { ProblemDetailsFilter } from './problem-details.filter';
import { StrictValidationPipe } from './strict-validation.pipe';

/**
 * The request validation of every service: DTO rules enforced, unknown fields refused whatever their name
 * (see StrictValidationPipe), each failure located by a JSON pointer.
 */
export function requestValidationPipe(): ValidationPipe {
  return new StrictValidationPipe();
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
