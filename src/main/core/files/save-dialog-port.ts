/**
 * What the core needs of a host that can ask the operator where to save a file: Electron's native
 * save dialog is one (src/main/electron). Declared here, below the hosts, so the core never imports
 * Electron and tests can hand in their own. A host without one (web, CLI) gets the bytes back instead
 * and delivers them itself: a browser download, or the operator's `--out`.
 */
export interface SaveDialogPort {
  /**
   * Asks the operator where to save `suggestedName`; resolves to the absolute path they chose
   * (the dialog has already confirmed replacing an existing file), or null when they cancelled.
   */
  chooseSavePath(request: { title: string; suggestedName: string }): Promise<string | null>;
}
