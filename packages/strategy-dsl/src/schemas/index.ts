// Runtime schemas of the shared shapes, their JSON Schema export, and the type-equality helpers.
export * from './contract-schemas';
export * from './json-schema';
export type { DeepReadonly, Equal } from './type-equality';
