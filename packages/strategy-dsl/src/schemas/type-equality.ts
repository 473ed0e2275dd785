// Compile-time checks that a zod schema and a hand-written TypeScript type describe the same shape, so a
// field added to one and not the other breaks the build instead of a contract test at run time.

/** Primitives (including soft-branded ids such as `string & { __brand?: 'Symbol' }`) stay as they are. */
type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** Every property and array readonly, all the way down: the contracts are immutable values, zod's output is not. */
export type DeepReadonly<T> = T extends Primitive
  ? T
  : T extends readonly (infer E)[]
    ? readonly DeepReadonly<E>[]
    : { readonly [K in keyof T]: DeepReadonly<T[K]> };

/**
 * True only when A and B are the same type: mutual assignability is not enough, because it ignores
 * readonly modifiers and lets `any` through. (The deferred conditional types compare by identity.)
 */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
