import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';

import { RequestValidationException } from './problem-details';
import { StrictValidationPipe } from './strict-validation.pipe';

class Line {
  @IsString()
  sku!: string;

  describe(): string {
    return this.sku;
  }
}

class Checkout {
  @IsString()
  buyer!: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];

  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;

  @IsOptional()
  @IsInt()
  quantity?: number;
}

const pipe = new StrictValidationPipe();
const run = (json: string) => pipe.transform(JSON.parse(json), { type: 'body', metatype: Checkout });
const refusal = async (json: string): Promise<string[]> => {
  try {
    await run(json);
  } catch (error) {
    if (error instanceof RequestValidationException) return error.errors.map((field) => field.detail);
    throw error;
  }
  throw new Error(`accepted ${json}`);
};

describe('StrictValidationPipe', () => {
  it('accepts a body with only known fields, and free-form metadata keeps whatever keys it has', async () => {
    const dto = await run('{"buyer":"b","lines":[{"sku":"s"}],"metadata":{"note":"n"}}');
    expect(dto).toBeInstanceOf(Checkout);
    expect((dto as Checkout).lines[0]).toBeInstanceOf(Line);
  });

  it('refuses an ordinary unknown field, as the whitelist always did', async () => {
    expect(await refusal('{"buyer":"b","lines":[],"zzz":1}')).toEqual(['property zzz should not exist']);
  });

  it.each(['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'])(
    'refuses an unknown top-level field named %s',
    async (name) => {
      expect(await refusal(`{"buyer":"b","lines":[],"${name}":{"x":1}}`)).toEqual([
        `property ${name} should not exist`,
      ]);
    },
  );

  it('refuses a nested unknown field named like a method of the nested DTO or of Object', async () => {
    expect(await refusal('{"buyer":"b","lines":[{"sku":"s","describe":"x","isPrototypeOf":1}]}')).toEqual([
      'property lines.0.describe should not exist',
      'property lines.0.isPrototypeOf should not exist',
    ]);
  });
});
