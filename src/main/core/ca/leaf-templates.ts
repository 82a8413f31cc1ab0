import type { IssuerMaterial } from '../pki/issuer.ts';
import { LeafTemplate } from '../pki/leaf-template.ts';
import type { Profile } from '../pki/profiles.ts';
import type { Crypto } from '../pki/webcrypto.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';

interface Entry {
  /** The CA certificate, key and URLs the template was built from: a renewed or re-imported CA, or new URLs, get a new one. */
  version: string;
  template: Promise<{ template: LeafTemplate; paired: boolean }>;
}

/**
 * Leaf templates per (CA, profile), valid for one CA certificate and key. Each is built once, and
 * with it the proof that the CA's key matches its certificate (one probe signed and verified): a
 * leaf signed with that key then needs no verification of its own signature to be known good.
 */
export class LeafTemplates {
  private readonly cache = new Map<string, Entry>();
  private readonly crypto: Crypto;

  constructor(crypto: Crypto) {
    this.crypto = crypto;
  }

  get(ca: AuthorityRecord, issuer: IssuerMaterial, profile: Profile): Promise<{ template: LeafTemplate; paired: boolean }> {
    const key = `${ca.id}\u0000${profile.name}`;
    // New distribution URLs make a new template: the next leaf carries them.
    const version = `${ca.sha256Hex}:${ca.keyId}:${JSON.stringify(ca.urls ?? null)}`;
    const cached = this.cache.get(key);
    if (cached?.version === version) return cached.template;
    const template = this.build(issuer, profile, ca.urls);
    this.cache.set(key, { version, template });
    // A failed build is not kept: the next issuance tries again rather than failing forever.
    template.catch(() => {
      if (this.cache.get(key)?.template === template) this.cache.delete(key);
    });
    return template;
  }

  private async build(
    issuer: IssuerMaterial,
    profile: Profile,
    urls: AuthorityRecord['urls'],
  ): Promise<{ template: LeafTemplate; paired: boolean }> {
    const template = await LeafTemplate.build(issuer, profile, this.crypto, urls);
    return { template, paired: await template.pairs(issuer) };
  }
}
