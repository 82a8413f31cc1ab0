import { certificateExtensionDers } from './der-fields.ts';
import { x509 } from './x509.ts';

/** Decoded extensions by their DER: a CA's leaves share most of theirs (constraints, usages, AKI, URLs). */
const decoded = new Map<string, x509.Extension>();
/** Enough for the extensions of many CAs and profiles; past it the memo starts again rather than grow. */
const MAX_DECODED = 2048;

/**
 * A certificate's extensions as @peculiar/x509's typed objects, the same ones `cert.extensions` gives,
 * each decoded once per process for its bytes. @peculiar/x509 decodes every extension of every
 * certificate anew (each one encoded again and read twice); a leaf's detail and lint read them all.
 * Falls back to `cert.extensions` when the certificate's bytes cannot be walked as DER.
 */
export function certificateExtensions(cert: x509.X509Certificate): readonly x509.Extension[] {
  let ders: Uint8Array[];
  try {
    ders = certificateExtensionDers(new Uint8Array(cert.rawData));
  } catch {
    return cert.extensions;
  }
  return ders.map((der) => {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
    let extension = decoded.get(key);
    if (!extension) {
      if (decoded.size >= MAX_DECODED) decoded.clear();
      extension = x509.ExtensionFactory.create(Uint8Array.from(der).buffer);
      decoded.set(key, extension);
    }
    return extension;
  });
}

/** The first extension of a type among a certificate's (see certificateExtensions). */
export function certificateExtension<T extends x509.Extension>(
  cert: x509.X509Certificate,
  type: new (...args: never[]) => T,
): T | undefined {
  return certificateExtensions(cert).find((extension): extension is T => extension instanceof type);
}
