// class-transformer ships the metadata storage (which class-validator-jsonschema needs to follow `@Type`)
// without a declaration beside its CommonJS build; its own types describe it.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
