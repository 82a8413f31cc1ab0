/**
 * electron-builder's afterPack hook (electron-builder.json): flips the fuses in scripts/fuses.ts in
 * the packed Electron binary, before electron-builder signs it. A binary without a fuse wire fails
 * the package rather than ship unfused.
 */
import { join } from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';
import { FUSES } from './fuses.ts';

/** The part of electron-builder's AfterPackContext this hook reads. */
export interface PackedApp {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

/** Where electron-builder put the Electron binary (for macOS the bundle; @electron/fuses finds the framework in it). */
export function packedBinary(context: PackedApp): string {
  const { appOutDir, electronPlatformName, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${name}.exe`);
  return join(appOutDir, packager.executableName ?? name);
}

export function fuseConfig(electronPlatformName: string): FuseV1Config {
  const config: FuseV1Config = {
    version: FuseVersion.V1,
    // Flipping a fuse breaks the macOS ad-hoc signature; an unsigned arm64 app would not start without a fresh one.
    resetAdHocDarwinSignature: electronPlatformName === 'darwin' || electronPlatformName === 'mas',
  };
  for (const [name, enabled] of Object.entries(FUSES)) config[FuseV1Options[name as keyof typeof FUSES]] = enabled;
  return config;
}

export async function afterPack(context: PackedApp): Promise<void> {
  await flipFuses(packedBinary(context), fuseConfig(context.electronPlatformName));
}

export default afterPack;
