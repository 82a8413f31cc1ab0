/**
 * Each channel's zod schema and its contract input type must be the same type, both ways: a field
 * the contract has and the schema lacks would compile and then be refused by `.strict()` at run
 * time, and a field only the schema has would never be sent. `npm run typecheck` checks this file.
 */
import type { z } from 'zod';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { endpoints } from '../../src/main/api/index.ts';
import { CHANNELS, type Channel, type ChannelInput } from '../../src/shared/contract/index.ts';

type Api = typeof endpoints;

/** The same shape however it is written: intersections flattened, all the way down, optionality kept. */
type Flat<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer E)[]
    ? Flat<E>[]
    : T extends object
      ? { [K in keyof T]: Flat<T[K]> }
      : T;

/** Identical types (a missing optional field, or `string` against a union of literals, is a difference). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The channels whose schema, as callers send it (`z.input`) or as handlers get it (`z.output`), differs from the contract. */
type InputDrift = { [C in Channel]: Same<Flat<z.input<Api[C]['input']>>, Flat<ChannelInput<C>>> extends true ? never : C }[Channel];
type OutputDrift = { [C in Channel]: Same<Flat<z.output<Api[C]['input']>>, Flat<ChannelInput<C>>> extends true ? never : C }[Channel];

describe('each channel schema matches its contract input type', () => {
  it('no channel drifts, in either direction (checked by the type check)', () => {
    expectTypeOf<InputDrift>().toEqualTypeOf<never>();
    expectTypeOf<OutputDrift>().toEqualTypeOf<never>();
  });

  it('the comparison sees the drift that used to compile: a missing optional field, a wider type', () => {
    expectTypeOf<Same<Flat<{ a: string; b?: string }>, Flat<{ a: string }>>>().toEqualTypeOf<false>();
    expectTypeOf<Same<Flat<{ a: string }>, Flat<{ a: string; b?: string }>>>().toEqualTypeOf<false>();
    expectTypeOf<Same<Flat<{ a: 'x' | 'y' }>, Flat<{ a: string }>>>().toEqualTypeOf<false>();
    expectTypeOf<Same<Flat<{ a: string } & { b?: number }>, Flat<{ a: string; b?: number }>>>().toEqualTypeOf<true>();
  });

  it('every channel in the runtime list has exactly one endpoint with a schema', () => {
    expect(Object.keys(endpoints).sort()).toEqual([...CHANNELS].sort());
    for (const channel of CHANNELS) expect(typeof endpoints[channel].input.safeParse).toBe('function');
  });
});
