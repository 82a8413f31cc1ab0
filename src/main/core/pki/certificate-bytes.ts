import { certificateExtensionDers, certificateTbsFields, type TbsFields } from './der-fields.ts';
import { memoByBytes } from './bytes-memo.ts';
import { nameDer } from './names.ts';
import { x509 } from './x509.ts';

/** Decoded extensions by their DER, for the extensions of many CAs and profiles. */
const decodeExtension = memoByBytes(2048, (der) => x509.ExtensionFactory.create(Uint8Array.from(der).buffer));

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
  private extensionList: readonly x509.Extension[] | undefined;

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

  get subjectName(): x509.Name {
    return (this.subjectNameValue ??= this.parsedCert?.subjectName ?? new x509.Name(Uint8Array.from(this.fields.subject).buffer));
  }

  get issuerName(): x509.Name {
    return (this.issuerNameValue ??= this.parsedCert?.issuerName ?? new x509.Name(Uint8Array.from(this.fields.issuer).buffer));
  }

  /** The extensions as @peculiar/x509's typed objects, the same ones `cert.extensions` gives. */
  extensions(): readonly x509.Extension[] {
    if (!this.extensionList) {
      try {
        this.extensionList = certificateExtensionDers(this.der).map(decodeExtension);
      } catch {
        this.extensionList = this.parsed.extensions;
      }
    }
    return this.extensionList;
  }

  /** The first extension of a type. */
  extension<T extends x509.Extension>(type: new (...args: never[]) => T): T | undefined {
    return this.extensions().find((extension): extension is T => extension instanceof type);
  }
}
