/**
 * The sandbox tenant's only entry for certdesk: src/main, scripts and bin reach the emulator
 * through this file (a lint rule holds them to it), so its internals can change freely.
 */
export { SANDBOX_START_USAGE, sandboxDir, sandboxStart, writeEdgeTrust, type EdgeTrustFiles, type SandboxCliIo } from './cli.ts';
export { createHostMappedFetch, createHostRoutedFetch, createSandboxFetch, isLoopbackOrigin, isReservedTestDomain } from './fetch.ts';
export { HANDSHAKE_PATH, proveSandbox } from './handshake.ts';
export { DEFAULT_DOMAIN, startSandbox, type FaultConfig, type ResponseRecord, type Sandbox, type StartSandboxOptions } from './server.ts';
export { CERTDESK_MANAGEMENT_SCOPES } from './tenant-admin.ts';
