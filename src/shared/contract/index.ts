/**
 * The one contract between the renderer and main (Electron IPC and the web-mode bridge alike), one
 * file per domain. Types only, plus the constants and the channel list the preload and the web
 * bridge derive their API from.
 */
export * from './errors.ts';
export * from './error-codes.ts';
export * from './keys.ts';
export * from './app.ts';
export * from './vault.ts';
export * from './authorities.ts';
export * from './crl-freshness.ts';
export * from './crl-series.ts';
export * from './certificates.ts';
export * from './audit.ts';
export * from './edge.ts';
export * from './edge-reload.ts';
export * from './schedule.ts';
export * from './usage.ts';
export * from './tenants.ts';
export * from './bindings.ts';
export * from './diagnostics.ts';
export * from './rotation.ts';
export * from './delivery.ts';
export * from './transfer.ts';
export * from './transfer-desk.ts';
export * from './sandbox.ts';
export * from './events.ts';
export * from './templates.ts';
export * from './webhook.ts';
export * from './channels.ts';
