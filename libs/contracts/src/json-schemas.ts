import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

/**
 * JSON Schema of every class with class-validator rules loaded so far, keyed by class name, with nested
 * classes as `$ref`s under `refPointerPrefix`. class-transformer's `@Type(() => X)` is followed, so an
 * array of X refers to X (without it the arrays referred to a non-existent `Array` schema).
 * Used for the AsyncAPI document (contracts) and the OpenAPI documents (the services' DTOs).
 */
export function jsonSchemasOfValidatedClasses(
  refPointerPrefix = '#/components/schemas/',
): Record<string, Record<string, unknown>> {
  return validationMetadatasToSchemas({
    refPointerPrefix,
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, Record<string, unknown>>;
}
