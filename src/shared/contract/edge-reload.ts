/**
 * How the edge is reloaded after a publication: one of a few presets, each a fixed list of argv
 * steps run without a shell. A free-form command never crosses the contract; a custom argv is set
 * by the operator in main's own flow (the CLI, or a native confirmation dialog) and approved there.
 * Pure data and functions: the renderer shows the same argv main runs.
 */

export const RELOAD_PRESETS = ['none', 'nginx', 'systemctl', 'docker', 'custom'] as const;
export type ReloadPreset = (typeof RELOAD_PRESETS)[number];

/** What a caller may choose. `custom` runs the argv the operator approved in main, never one passed here. */
export type EdgeReload =
  { preset: 'none' } | { preset: 'nginx' } | { preset: 'systemctl' } | { preset: 'docker'; container: string } | { preset: 'custom' };

/** Docker's own rule for container names: no shell or option syntax can hide in one. */
export const DOCKER_CONTAINER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;

export function isDockerContainerName(value: string): boolean {
  return DOCKER_CONTAINER_NAME.test(value);
}

/** The argv steps of a preset, run in order until one fails; `null` for `none` and `custom` (which has no fixed argv). */
export function presetArgv(reload: EdgeReload): string[][] | null {
  switch (reload.preset) {
    case 'nginx':
      return [
        ['nginx', '-t'],
        ['nginx', '-s', 'reload'],
      ];
    case 'systemctl':
      return [['systemctl', 'reload', 'nginx']];
    case 'docker':
      return isDockerContainerName(reload.container) ? [['docker', 'exec', reload.container, 'nginx', '-s', 'reload']] : null;
    default:
      return null;
  }
}

export const RELOAD_PRESET_LABELS: Record<ReloadPreset, string> = {
  none: 'None: reload nginx yourself',
  nginx: 'nginx -t, then nginx -s reload',
  systemctl: 'systemctl reload nginx',
  docker: 'docker exec CONTAINER nginx -s reload',
  custom: 'The custom command approved in certdesk',
};

/** One argument as a person reads it: quoted when it holds anything but plain characters. */
function showArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The argv steps as one line (`nginx -t → nginx -s reload`): for display only, never run. */
export function displayArgv(steps: readonly (readonly string[])[]): string {
  return steps.map((argv) => argv.map(showArg).join(' ')).join(' → ');
}

/** The custom reload action as main stores it: its argv and whether it is approved to run. */
export interface EdgeReloadConfig {
  custom: {
    argv: string[];
    /** Whether the stored argv still has the hash it was approved with; anything else never runs. */
    approved: boolean;
    approvedAt: string | null;
    approvedBy: string | null;
    /** Set when it was converted from a free-form shell command of an older certdesk: never approved. */
    legacyCommand: string | null;
    /** Why it will not run (edited, restored from an older copy, approved by an older certdesk…); null when approved. */
    reason: string | null;
  } | null;
  /** Whether this host can approve a new custom argv (the CLI, or Electron's native dialog; never the web host). */
  canApprove: boolean;
}
