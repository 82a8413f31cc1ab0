/** Types for scripts/toolchain.js (plain JavaScript, so that it runs on the old Node it replaces). */
export declare const REQUIRED_MAJOR: number;
export declare const PINNED: Record<string, { version: string; integrity: string }>;
export declare function toolchainPackage(platform?: NodeJS.Platform, arch?: string): string;
export declare function matchesIntegrity(bytes: Uint8Array, integrity: string): boolean;
export declare function installVerifiedTarball(tarball: string, integrity: string, target: string): void;
export declare function toolchainNode(prefix: string): string;
