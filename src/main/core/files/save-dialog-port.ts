/**
 * What the core needs of a host that can ask the operator where to save a file: Electron's native
 * save and folder dialogs are one (src/main/electron). Declared here, below the hosts, so the core
 * never imports Electron and tests can hand in their own. A host without one (web, CLI) gets the
 * bytes back instead and delivers them itself: a browser download, or the operator's `--out`.
 */
export interface SaveDialogPort {
  /**
   * Asks the operator where to save `suggestedName`; resolves to the absolute path they chose
   * (the dialog has already confirmed replacing an existing file), or null when they cancelled.
   */
  chooseSavePath(request: { title: string; suggestedName: string }): Promise<string | null>;
  /**
   * Asks the operator for a folder to save several files into; resolves to the absolute path of an
   * existing folder they chose, or null when they cancelled. Nothing in it is replaced on its word.
   */
  chooseFolder(request: { title: string }): Promise<string | null>;
}
