import {
  BadRequestException,
  ConflictException,
  HttpException,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { ValidationError } from 'class-validator';

import { RequestValidationException, toProblem } from './problem-details';

describe('toProblem', () => {
  it('keeps a coded error its code, status and extra members, and names the type after the code', () => {
    const problem = toProblem(
      new HttpException(
        { statusCode: 503, code: 'CHECKOUT.BUSY', message: 'busy', retryAfterSeconds: 20 },
        503,
      ),
    );
    expect(problem).toEqual({
      type: 'tag:keyflow.dev,2026:problem:CHECKOUT.BUSY',
      title: 'Service Unavailable',
      status: 503,
      detail: 'busy',
      code: 'CHECKOUT.BUSY',
      retryAfterSeconds: 20,
    });
  });

  it("gives Nest's own exceptions a code from their status", () => {
    expect(toProblem(new NotFoundException('order 1 not found'))).toMatchObject({
      status: 404,
      title: 'Not Found',
      detail: 'order 1 not found',
      code: 'HTTP.NOT_FOUND',
    });
    expect(toProblem(new UnauthorizedException('the API key is not valid'))).toMatchObject({
      status: 401,
      code: 'HTTP.UNAUTHORIZED',
    });
    expect(toProblem(new HttpException('too large', 413))).toMatchObject({
      title: 'Payload Too Large',
      code: 'HTTP.PAYLOAD_TOO_LARGE',
      detail: 'too large',
    });
    expect(toProblem(new ConflictException({ code: 'RISK.DECIDED', message: 'already' }))).toMatchObject({
      status: 409,
      code: 'RISK.DECIDED',
      detail: 'already',
    });
  });

  it('lists each validation failure with a JSON pointer, nested ones included', () => {
    const child = Object.assign(new ValidationError(), {
      property: 'currency',
      constraints: { isIn: 'currency must be one of CNY, USD' },
      children: [],
    });
    const errors = [
      Object.assign(new ValidationError(), {
        property: 'quantity',
        constraints: { min: 'quantity must not be less than 1', isInt: 'quantity must be an integer' },
        children: [],
      }),
      Object.assign(new ValidationError(), { property: 'total', constraints: {}, children: [child] }),
    ];
    expect(toProblem(RequestValidationException.fromValidationErrors(errors))).toEqual({
      type: 'tag:keyflow.dev,2026:problem:REQUEST.INVALID',
      title: 'Bad Request',
      status: 400,
      code: 'REQUEST.INVALID',
      detail:
        'quantity must not be less than 1; quantity must be an integer; currency must be one of CNY, USD',
      errors: [
        { pointer: '#/quantity', detail: 'quantity must not be less than 1' },
        { pointer: '#/quantity', detail: 'quantity must be an integer' },
        { pointer: '#/total/currency', detail: 'currency must be one of CNY, USD' },
      ],
    });
  });

  it('turns a list of messages (a plain ValidationPipe) into errors', () => {
    expect(toProblem(new BadRequestException(['a is wrong', 'b is wrong']))).toMatchObject({
      detail: 'a is wrong; b is wrong',
      errors: [
        { pointer: '#', detail: 'a is wrong' },
        { pointer: '#', detail: 'b is wrong' },
      ],
    });
  });

  it("keeps the client status of body-parser errors and hides every other error's cause behind a 500", () => {
    const malformed = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
      status: 400,
      expose: true,
    });
    expect(toProblem(malformed)).toMatchObject({ status: 400, detail: 'Unexpected end of JSON input' });
    const internal = toProblem(new Error('password=hunter2 in connection string'));
    expect(internal).toMatchObject({ status: 500, code: 'HTTP.INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(internal)).not.toContain('hunter2');
  });

  it('passes on a problem another service answered (the console relaying orders)', () => {
    const upstream = {
      type: 'x',
      title: 'Forbidden',
      status: 403,
      detail: 'token wrong',
      code: 'ORDER.TOKEN',
    };
    expect(toProblem(new HttpException(upstream, 403))).toMatchObject({
      status: 403,
      detail: 'token wrong',
      code: 'ORDER.TOKEN',
    });
  });
});
