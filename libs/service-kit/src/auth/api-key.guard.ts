import { readFileSync } from 'node:fs';

import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { type Request } from 'express';

import { API_KEY_BEARER, API_KEY_HEADER } from '../http/api-docs';
import { type ApiKeyRecord, type ApiKeyScope, grants, parseApiKeyRecords, verifyApiKey } from './api-keys';

const REQUIRED_SCOPE = 'keyflow:required-scope';

/**
 * Marks an operator endpoint: it needs an API key with this scope (admin ⊃ operate ⊃ read). The OpenAPI
 * document says so (either API key scheme).
 */
export const RequireScope = (scope: ApiKeyScope) =>
  applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiBearerAuth(API_KEY_BEARER),
    ApiSecurity(API_KEY_HEADER),
  );

/**
 * Checks `Authorization: Bearer kf_…` (or `X-Api-Key`) on endpoints marked with @RequireScope:
 * no key or an unknown key → 401, a valid key without the scope → 403. Unmarked endpoints pass.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly records: ApiKeyRecord[];

  constructor(private readonly reflector: Reflector) {
    this.records = parseApiKeyRecords(readKeys());
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<ApiKeyScope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const request = context.switchToHttp().getRequest<Request & { apiKey?: ApiKeyRecord }>();
    const presented = bearer(request.headers.authorization) ?? header(request.headers['x-api-key']);
    if (!presented)
      throw new UnauthorizedException('an operator API key is required (Authorization: Bearer kf_…)');
    const record = verifyApiKey(this.records, presented);
    if (!record) throw new UnauthorizedException('the API key is not valid');
    if (!grants(record.scopes, required))
      throw new ForbiddenException(`the API key lacks the "${required}" scope`);
    request.apiKey = record;
    return true;
  }
}

function readKeys(): string | undefined {
  const file = process.env.OPERATOR_API_KEYS_FILE;
  return file ? readFileSync(file, 'utf8') : process.env.OPERATOR_API_KEYS;
}

function bearer(value: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(value ?? '');
  return match?.[1];
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
