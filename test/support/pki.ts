import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaKeyType } from '../../src/shared/contract/index.ts';
import { openssl } from './openssl.ts';
import { openTestService, type TestService } from './service.ts';
import { tempDir } from './temp.ts';

/** A service with a root and an issuing CA, ready to issue. */
export async function withIssuingCa(
  options: Parameters<typeof openTestService>[0] & { keyType?: CaKeyType } = {},
): Promise<TestService & { rootId: string; issuingId: string }> {
  const t = openTestService(options);
  const root = await t.service.createAuthority({ name: 'Test Root', keyType: options.keyType ?? 'ec-p256' });
  const issuing = await t.service.createAuthority({ name: 'Test Issuing', parent: root.id, keyType: options.keyType ?? 'ec-p256' });
  return Object.assign(t, { rootId: root.id, issuingId: issuing.id });
}

/** Writes named PEM files into a fresh temp folder and returns their paths. */
export function files(contents: Record<string, string | Uint8Array>): Record<string, string> & { dir: string } {
  const dir = tempDir();
  const out: Record<string, string> = {};
  for (const [name, body] of Object.entries(contents)) {
    out[name] = join(dir, name);
    writeFileSync(out[name], body);
  }
  return Object.assign(out, { dir });
}

/** An openssl-made key and CSR (the independent side of CSR mode). */
export function opensslCsr(keyArgs: string[], subject: string, extra: string[] = []): { csr: string; keyPath: string } {
  const dir = tempDir();
  const keyPath = join(dir, 'client.key');
  const csrPath = join(dir, 'client.csr');
  const gen = openssl(['genpkey', ...keyArgs, '-out', keyPath]);
  if (gen.status !== 0) throw new Error(`openssl genpkey failed: ${gen.output}`);
  const req = openssl(['req', '-new', '-key', keyPath, '-subj', subject, '-out', csrPath, ...extra]);
  if (req.status !== 0) throw new Error(`openssl req failed: ${req.output}`);
  return { csr: openssl(['req', '-in', csrPath]).stdout, keyPath };
}

export const KEY_ARGS = {
  'rsa-1024': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024'],
  'rsa-2048': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'rsa-3072': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'],
  'rsa-4096': ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:4096'],
  'ec-p256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'ec-p384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'ec-p521': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  ed25519: ['-algorithm', 'ED25519'],
} as const;
