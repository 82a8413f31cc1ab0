import type { CaApprovalRequest } from './ca-approval-text.ts';
import type { RebuiltEdgeSettings } from './nginx-config.ts';

/**
 * The operator, asked outside the renderer, for what decides where the edge bundle goes and where the
 * edge forwards: the CLI (the command the operator typed is the answer) and the desktop app (native
 * folder and confirmation dialogs). The web host has none: there the operator uses the CLI.
 */
export interface EdgeOperator {
  /** Recorded as who approved: `cli`, `electron-dialog`. */
  readonly via: string;
  /** The operator typed the folder in the command itself (the CLI): a `dir` in the input is theirs. */
  readonly typesFolder: boolean;
  /** A folder the operator picks in a native dialog; null when cancelled (or when this host has no dialog). */
  chooseFolder(): Promise<string | null>;
  /** Resolves true only when the operator approved exactly these settings for this folder. */
  confirmSettings(request: { folder: string; settings: RebuiltEdgeSettings; changed: readonly string[] }): Promise<boolean>;
  /** Resolves true only when the operator approved exactly this set of issuing CAs (names and fingerprints shown). */
  confirmCas(request: CaApprovalRequest): Promise<boolean>;
}
