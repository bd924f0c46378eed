import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

import { jsonSchemasOfValidatedClasses } from '@keyflow/contracts';

import { PROBLEM_JSON } from './problem-details';

type Schema = Record<string, unknown>;

/** Security scheme names used by @RequireScope. */
export const API_KEY_BEARER = 'apiKey';
export const API_KEY_HEADER = 'apiKeyHeader';

const OPENAPI_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const PROBLEM_SCHEMA: Schema = {
  type: 'object',
  description: 'RFC 9457 problem details, the one error shape of every Keyflow service.',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', description: 'names the kind of problem (derived from code)' },
    title: { type: 'string', description: 'the HTTP reason phrase' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string', description: 'what went wrong with this request, for a person' },
    code: { type: 'string', description: 'stable machine-readable code, e.g. CHECKOUT.BUSY' },
    errors: {
      type: 'array',
      description: 'for REQUEST.INVALID: each failed rule and where',
      items: {
        type: 'object',
        required: ['pointer', 'detail'],
        properties: { pointer: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
  additionalProperties: true,
};

/**
 * Serves the service's OpenAPI 3.1 document at `/docs-json` and Swagger UI at `/docs`. Routes come from
 * @nestjs/swagger's scan of the controllers; request bodies get their rules from the DTOs' class-validator
 * decorators (class-validator-jsonschema, the same conversion the AsyncAPI document uses), so the document
 * states what the ValidationPipe enforces without a second set of decorators; every error answer is a
 * problem details body; endpoints behind @RequireScope name the API key schemes.
 */
export function serveApiDocs(app: INestApplication, title: string, description: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(title)
    .setDescription(description)
    .setVersion(process.env.npm_package_version ?? '0.1.0')
    .setOpenAPIVersion('3.1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'an operator API key: `Authorization: Bearer kf_…`' },
      API_KEY_BEARER,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'the same operator API key' },
      API_KEY_HEADER,
    )
    .build();
  const document = withProblemResponses(withValidationSchemas(SwaggerModule.createDocument(app, config)));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', raw: ['json'] });
  return document;
}

/** Replaces the bodies' empty schemas with the DTOs' class-validator rules, and adds what they refer to. */
function withValidationSchemas(document: OpenAPIObject): OpenAPIObject {
  const rules = jsonSchemasOfValidatedClasses();
  const schemas = (document.components!.schemas ??= {}) as Record<string, Schema>;
  const queue = Object.keys(schemas);
  const done = new Set<string>();
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (done.has(name)) continue;
    done.add(name);
    const rule = rules[name];
    if (rule) schemas[name] = rule;
    schemas[name] ??= { type: 'object' };
    for (const [, ref] of JSON.stringify(schemas[name]).matchAll(/"#\/components\/schemas\/([^"]+)"/g))
      queue.push(ref!);
  }
  return document;
}

/** Every operation may answer a problem; 400 for a body or query that breaks the rules. */
function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components!.schemas as Record<string, Schema>;
  schemas.ProblemDetails = PROBLEM_SCHEMA;
  const problem = {
    description: 'a problem (RFC 9457)',
    content: { [PROBLEM_JSON]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
  };
  for (const [template, path] of Object.entries(document.paths) as Array<
    [string, Record<string, { responses?: Schema; parameters?: Array<{ name: string; in: string }> }>]
  >)
    for (const [method, operation] of Object.entries(path)) {
      // `@All` routes (the console's proxy) list Express-only methods such as SEARCH, which OpenAPI 3.1
      // has no place for.
      if (!OPENAPI_METHODS.has(method)) {
        if (operation && typeof operation === 'object' && 'responses' in operation) delete path[method];
        continue;
      }
      operation.responses = { ...operation.responses, default: problem };
      // Handlers that read the request themselves (@Req) leave their path parameters undeclared.
      const declared = new Set(
        (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      );
      for (const [, name] of template.matchAll(/\{([^}]+)\}/g))
        if (!declared.has(name!))
          (operation.parameters ??= []).push({
            name: name!,
            in: 'path',
            required: true,
            schema: { type: 'string' },
          } as { name: string; in: string });
    }
  return document;
}
