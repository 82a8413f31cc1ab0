import type { SanEntry } from '../../../shared/contract/index.ts';
import { x509 } from './x509.ts';

const TO_X509: Record<SanEntry['type'], 'dns' | 'url' | 'email'> = { dns: 'dns', uri: 'url', email: 'email' };

export function sanExtension(sans: readonly SanEntry[], critical: boolean): x509.SubjectAlternativeNameExtension {
  return new x509.SubjectAlternativeNameExtension(
    sans.map((s) => ({ type: TO_X509[s.type], value: s.value })),
    critical,
  );
}

/** DNS, URI and email names of a SAN extension; other kinds are not used by certdesk's profiles. */
export function readSans(ext: x509.SubjectAlternativeNameExtension | null): SanEntry[] {
  if (!ext) return [];
  const out: SanEntry[] = [];
  for (const name of ext.names.items) {
    if (name.type === 'dns') out.push({ type: 'dns', value: name.value });
    else if (name.type === 'url') out.push({ type: 'uri', value: name.value });
    else if (name.type === 'email') out.push({ type: 'email', value: name.value });
  }
  return out;
}
