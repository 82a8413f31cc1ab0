import type { SanEntry } from '../../../shared/contract/index.ts';
import {
  asciiGeneralNames,
  certificateExtensionDers,
  certificateTbsFields,
  extensionParts,
  nameStrings,
  octetStringContent,
  type TbsFields,
} from './der-fields.ts';
import { memoByBytes } from './bytes-memo.ts';
import { nameDer } from './names.ts';
import { readSans } from './sans.ts';
import { x509 } from './x509.ts';

/** Decoded extensions by their DER, for the extensions of many CAs and profiles. */
const decodeExtension = memoByBytes(2048, (der) => x509.ExtensionFactory.create(Uint8Array.from(der).buffer));

export const EXTENSION_OIDS = {
  subjectKeyIdentifier: '2.5.29.14',
  subjectAltName: '2.5.29.17',
  extKeyUsage: '2.5.29.37',
} as const;

const COMMON_NAME = '2.5.4.3';

/**
 * One extension of a certificate. The two every leaf has of its own (its key identifier and its SAN)
 * are read straight from their bytes when they hold what certdesk writes: decoding them through
 * @peculiar/x509 cost more than the rest of a leaf's detail, and no memo helps bytes seen once. Every
 * other extension (a profile's, shared by a CA's leaves) is decoded once per process for its bytes.
 */
export class CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** A subjectKeyIdentifier's key identifier in lowercase hex, as @peculiar/x509's `keyId`; read from the bytes. */
  readonly keyId: string | undefined;
  /** A subjectAltName of ASCII email, DNS and URI names only, in certificate order; read from the bytes. */
  readonly asciiNames: ReadonlyArray<{ type: 'email' | 'dns' | 'uri'; value: string }> | undefined;
  private readonly der: Uint8Array;
  private decodedValue: x509.Extension | undefined;

  constructor(der: Uint8Array, decoded?: x509.Extension) {
    this.der = der;
    this.decodedValue = decoded;
    if (decoded) {
      this.oid = decoded.type;
      this.critical = decoded.critical;
      return;
    }
    const parts = extensionParts(der);
    this.oid = parts.oid;
    this.critical = parts.critical;
    if (parts.oid === EXTENSION_OIDS.subjectKeyIdentifier) {
      const keyId = octetStringContent(parts.value);
      if (keyId) this.keyId = Buffer.from(keyId).toString('hex');
    } else if (parts.oid === EXTENSION_OIDS.subjectAltName) {
      this.asciiNames = asciiGeneralNames(parts.value) ?? undefined;
    }
  }

  /** The extension as @peculiar/x509's typed object, the one `cert.extensions` holds. */
  get decoded(): x509.Extension {
    return (this.decodedValue ??= decodeExtension(this.der));
  }

  /** The SAN's DNS, URI and email names (see readSans), from the bytes when they allow it. */
  sans(): SanEntry[] {
    if (this.asciiNames) return this.asciiNames.map((name) => ({ type: name.type, value: name.value }));
    return readSans(this.decoded as x509.SubjectAlternativeNameExtension);
  }
}

/**
 * A certificate read for its detail and lint (issue 14). The fields those read (names, validity, key,
 * extensions) come from walking its DER (der-fields.ts), each extension decoded once per process for
 * its bytes; @peculiar/x509 decodes the whole certificate only when something needs it (a signature
 * to verify), or when the walk cannot read the bytes. A certificate already parsed is used as it is.
 */
export class CertificateBytes {
  readonly der: Uint8Array;
  private readonly fields: TbsFields;
  private parsedCert: x509.X509Certificate | undefined;
  private subjectNameValue: x509.Name | undefined;
  private issuerNameValue: x509.Name | undefined;
  private extensionList: readonly CertificateExtension[] | undefined;

  constructor(der: Uint8Array, parsed?: x509.X509Certificate) {
    this.der = der;
    this.parsedCert = parsed;
    let fields: TbsFields | undefined;
    if (!parsed) {
      try {
        fields = certificateTbsFields(der);
      } catch {
        // Not walkable here (say, a time with fractions of a second): @peculiar/x509 reads it.
      }
    }
    this.fields = fields ?? CertificateBytes.fieldsOf(this.parsed);
  }

  /** A certificate @peculiar/x509 has parsed already: its own reading of every field is used. */
  static of(cert: x509.X509Certificate): CertificateBytes {
    return new CertificateBytes(new Uint8Array(cert.rawData), cert);
  }

  private static fieldsOf(cert: x509.X509Certificate): TbsFields {
    return {
      issuer: nameDer(cert.issuerName),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      subject: nameDer(cert.subjectName),
      spki: new Uint8Array(cert.publicKey.rawData),
    };
  }

  /** The whole certificate as @peculiar/x509 decodes it, made on first use. */
  get parsed(): x509.X509Certificate {
    return (this.parsedCert ??= new x509.X509Certificate(Uint8Array.from(this.der).buffer));
  }

  get notBefore(): Date {
    return this.fields.notBefore;
  }

  get notAfter(): Date {
    return this.fields.notAfter;
  }

  /** The subject and issuer Names' DER, as they stand in the certificate. */
  get subjectDer(): Uint8Array {
    return this.fields.subject;
  }

  get issuerDer(): Uint8Array {
    return this.fields.issuer;
  }

  get spki(): Uint8Array {
    return this.fields.spki;
  }

  /** The subject's CN values, as `subjectName.getField('CN')` gives them; read from the bytes when they are common strings. */
  commonNames(): string[] {
    const strings = this.parsedCert ? null : nameStrings(this.fields.subject);
    if (!strings) return this.subjectName.getField('CN');
    return strings.flatMap((rdn) => rdn.filter((ava) => ava.oid === COMMON_NAME).map((ava) => ava.text));
  }

  get subjectName(): x509.Name {
    return (this.subjectNameValue ??= this.parsedCert?.subjectName ?? new x509.Name(Uint8Array.from(this.fields.subject).buffer));
  }

  get issuerName(): x509.Name {
    return (this.issuerNameValue ??= this.parsedCert?.issuerName ?? new x509.Name(Uint8Array.from(this.fields.issuer).buffer));
  }

  /** The extensions, in certificate order, each read from its bytes (see CertificateExtension). */
  extensionEntries(): readonly CertificateExtension[] {
    if (!this.extensionList) {
      let entries: CertificateExtension[];
      try {
        entries = certificateExtensionDers(this.der).map((der) => new CertificateExtension(der));
      } catch {
        entries = this.parsed.extensions.map((extension) => new CertificateExtension(new Uint8Array(extension.rawData), extension));
      }
      this.extensionList = entries;
    }
    return this.extensionList;
  }

  /** The extensions as @peculiar/x509's typed objects, the same ones `cert.extensions` gives. */
  extensions(): readonly x509.Extension[] {
    return this.extensionEntries().map((entry) => entry.decoded);
  }

  /** The first extension with `oid`, when it decodes as `type`. */
  extension<T extends x509.Extension>(oid: string, type: new (...args: never[]) => T): T | undefined {
    const decoded = this.extensionEntries().find((entry) => entry.oid === oid)?.decoded;
    return decoded instanceof type ? decoded : undefined;
  }

  /** The SAN's DNS, URI and email names (none without a SAN). */
  sans(): SanEntry[] {
    return (
      this.extensionEntries()
        .find((entry) => entry.oid === EXTENSION_OIDS.subjectAltName)
        ?.sans() ?? []
    );
  }
}
