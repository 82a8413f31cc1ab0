import { z } from 'zod';
import { EDGE_MAX_CAS } from '../../shared/contract/index.ts';
import { ref } from './fields.ts';

/** One issuing CA, or a set of them (a rollover trusts old and new together): never empty, never a CA twice. */
export const edgeCas = z.union([
  ref('ca'),
  z
    .array(ref('ca'))
    .min(1, { error: 'Choose at least one issuing CA for the edge to trust' })
    .max(EDGE_MAX_CAS, { error: `An edge trusts at most ${EDGE_MAX_CAS} issuing CAs` })
    .refine((cas) => new Set(cas).size === cas.length, { error: 'Each issuing CA is listed once' }),
]);
