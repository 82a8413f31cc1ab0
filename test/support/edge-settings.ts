/** One valid set of edge settings for tests that vary a field or two; nothing here is read from disk. */
import type { EdgeSettings } from '../../src/shared/contract/index.ts';

export function edgeSettings(overrides: Partial<EdgeSettings> = {}): EdgeSettings {
  return {
    serverName: 'auth.example.test',
    listen: '443',
    serverCertificatePath: '/etc/edge/server.pem',
    serverKeyPath: '/etc/edge/server.key',
    upstream: 'https://tenant.example',
    cnameApiKeyInclude: '/etc/edge/secret/cname.conf',
    bundleDir: '/etc/edge/bundle',
    ...overrides,
  };
}

/** The same settings as `certdesk edge settings set` / `edge export` flags. */
export const EDGE_SETTING_FLAGS = [
  '--server-name',
  'auth.example.test',
  '--upstream',
  'https://tenant.example',
  '--server-cert',
  '/etc/edge/server.pem',
  '--server-key',
  '/etc/edge/server.key',
  '--cname-api-key-file',
  '/etc/edge/secret/cname.conf',
  '--bundle-dir',
  '/etc/edge/bundle',
];
