import type { EdgeApprovedCa, EdgeApprovedCas } from '../../../../shared/contract/index.ts';

/**
 * How the issuing CAs chosen on the page differ from the set the operator approved (main's rule, said
 * before anything is sent): a CA outside the set needs the operator; a narrower set (a CA retired) only
 * removes trust and is published as is. `approved` null: none is approved yet, so every CA is new.
 */
export interface CaSetChange {
  /** Ids chosen that are not in the approved set. */
  added: string[];
  /** Approved CAs not chosen (or no longer in certdesk). */
  removed: EdgeApprovedCa[];
}

export function caSetChange(chosen: readonly string[], approved: EdgeApprovedCas | null): CaSetChange {
  if (!approved) return { added: [...chosen], removed: [] };
  return {
    added: chosen.filter((id) => !approved.authorities.some((ca) => ca.id === id)),
    removed: approved.authorities.filter((ca) => ca.id === null || !chosen.includes(ca.id)),
  };
}

/** The approved CAs the page can choose (those still in certdesk and issuing), in the approved order. */
export function approvedChoice(approved: EdgeApprovedCas | null, issuing: ReadonlyArray<{ id: string } | string>): string[] {
  if (!approved) return [];
  const ids = issuing.map((held) => (typeof held === 'string' ? held : held.id));
  return approved.authorities.flatMap((ca) => (ca.id !== null && ids.includes(ca.id) ? [ca.id] : []));
}
