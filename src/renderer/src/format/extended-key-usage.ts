const NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

/** Profiles list EKUs as OIDs; operators know them by OpenSSL's short names. */
export function extendedKeyUsageLabel(oidOrName: string): string {
  return NAMES[oidOrName] ?? oidOrName;
}
