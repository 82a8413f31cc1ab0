/**
 * What the desktop app's native dialog says when a publication would change the issuing CAs the edge
 * trusts. Kept apart from Electron so the exact words (names and full fingerprints, the change marked)
 * are tested here; main only shows them.
 */

export interface CaApprovalRequest {
  folder: string;
  /** The set as it would be approved (`added`, `kept`), then what it would no longer trust (`removed`). */
  authorities: Array<{ name: string; sha256: string; change: 'added' | 'kept' | 'removed' }>;
}

export interface CaApprovalText {
  title: string;
  message: string;
  detail: string;
}

/** A SHA-256 as the Authorities page shows it: upper-case byte pairs joined by colons. */
export function colonFingerprint(sha256: string): string {
  return (sha256.toUpperCase().match(/.{2}/g) ?? []).join(':');
}

const MARK = { added: '+ ', kept: '  ', removed: '− ' } as const;

export function caApprovalText(request: CaApprovalRequest): CaApprovalText {
  const added = request.authorities.filter((ca) => ca.change === 'added').length;
  const lines = request.authorities.map(
    (ca) =>
      `${MARK[ca.change]}${ca.name}${ca.change === 'removed' ? ' (no longer trusted)' : ''}\n    SHA-256 ${colonFingerprint(ca.sha256)}`,
  );
  return {
    title: 'Approve the issuing CAs of the edge',
    message:
      added > 0
        ? `Let the edge accept client certificates from ${added === 1 ? 'an issuing CA' : `${added} issuing CAs`} it does not trust now, in this and every later publication (rotations included)?`
        : 'Trust fewer issuing CAs at the edge, in this and every later publication (rotations included)?',
    detail: `Edge folder: ${request.folder}\n\n${lines.join('\n')}\n\n+ added   − removed   Compare each fingerprint with the CA's on the Authorities page.`,
  };
}
