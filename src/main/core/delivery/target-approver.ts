/**
 * Adding a target that names a place on disk or another host is the operator's act, answered
 * outside any renderer: the CLI's explicit `certdesk target add` (the typed path is the answer), or
 * the desktop app's native folder dialog (a path sent by the renderer is never used). The web host
 * has none, so there `targets:add` is refused for every kind that names a place.
 */
export interface TargetApprover {
  /** Recorded as who approved: `cli`, `electron-dialog`. */
  readonly via: string;
  /**
   * The folder the target writes to, chosen by the operator: the CLI returns what was typed; the
   * desktop app asks in its native folder dialog. Null when the operator cancelled.
   */
  chooseFolder(typed: string | undefined, title: string): Promise<string | null>;
  /** Resolves true only when the operator confirmed exactly this target (its summary lines). */
  confirm(summary: readonly string[]): Promise<boolean>;
}

/** Typing `certdesk target add … --path DIR` is the operator's choice of DIR. */
export const CLI_TARGET_APPROVER: TargetApprover = {
  via: 'cli',
  chooseFolder: (typed) => Promise.resolve(typed ?? null),
  confirm: () => Promise.resolve(true),
};

/** The desktop app's: the folder comes from the native dialog, the rest is confirmed in a native message box. */
export function dialogTargetApprover(
  chooseFolder: (request: { title: string }) => Promise<string | null>,
  confirm: (summary: readonly string[]) => Promise<boolean>,
): TargetApprover {
  return { via: 'electron-dialog', chooseFolder: (_typed, title) => chooseFolder({ title }), confirm };
}
