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
