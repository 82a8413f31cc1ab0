/**
 * Asks the operator, outside the renderer, whether a custom reload argv may run: the CLI's explicit
 * `certdesk edge reload set -- ARGV` is itself the answer; Electron shows a native dialog with the
 * exact argv. The web host has none, so there a custom argv cannot be set at all.
 */
export interface ReloadApprover {
  /** Recorded as who approved: `cli`, `electron-dialog`. */
  readonly via: string;
  /** Resolves true only when the operator approved exactly this argv. */
  confirm(argv: readonly string[]): Promise<boolean>;
}
