// Type-level tests: they are checked by `tsc` (npm run typecheck), where a wrong expectation is a compile
// error; at run time they only confirm the module loads.
import { describe, expectTypeOf, it } from 'vitest';
import type { DeepReadonly, Equal } from './type-equality';

type Soft = string & { readonly __brand?: 'Soft' };

describe('Equal', () => {
  it('is true only for identical types', () => {
    expectTypeOf<Equal<{ a: number }, { a: number }>>().toEqualTypeOf<true>();
    expectTypeOf<Equal<{ a: number }, { a: number; b?: string }>>().toEqualTypeOf<false>();
    expectTypeOf<Equal<{ readonly a: number }, { a: number }>>().toEqualTypeOf<false>();
    expectTypeOf<Equal<{ a: string }, { a: Soft }>>().toEqualTypeOf<false>();
    // biome-ignore lint/suspicious/noExplicitAny: the point is that any is not equal to everything.
    expectTypeOf<Equal<any, { a: number }>>().toEqualTypeOf<false>();
    expectTypeOf<Equal<'a' | 'b', 'a'>>().toEqualTypeOf<false>();
  });
});

describe('DeepReadonly', () => {
  it('makes nested objects and arrays readonly and leaves soft-branded strings alone', () => {
    type Input = { id: Soft; list: { n: number }[]; opt?: number; value: number | null };
    type Expected = {
      readonly id: Soft;
      readonly list: readonly { readonly n: number }[];
      readonly opt?: number;
      readonly value: number | null;
    };

    expectTypeOf<Equal<DeepReadonly<Input>, Expected>>().toEqualTypeOf<true>();
  });
});
