/**
 * Certificate templates (issue 13): issue settings saved under a name, so an operator who issues the
 * same kind of client certificate again starts from them. A template holds no key and no common
 * name; its SAN values are patterns in which `{cn}` stands for the common name (src/shared/san-pattern.ts).
 */
import type { KeyType } from './keys.ts';
import type { SanType, SubjectFields } from './certificates.ts';

/** A SAN value, where every `{cn}` is replaced by the common name at issue time. */
export type SanPattern = { [T in SanType]: { type: T; pattern: string } }[SanType];

/** Subject defaults: everything but the common name, which is typed per certificate. */
export type TemplateSubject = Pick<SubjectFields, 'organization' | 'organizationalUnit' | 'country'>;

export interface TemplateView {
  name: string;
  profile: string;
  /** The issuing CA's id; null lets the operator choose at issue time. */
  ca: string | null;
  /** The CA's name as it is now, or null when none is set or it no longer exists. */
  caName: string | null;
  keyType: KeyType | null;
  subject: TemplateSubject;
  sans: SanPattern[];
  days: number;
  createdAt: string;
  updatedAt: string;
}

export interface TemplateSaveInput {
  name: string;
  profile: string;
  /** Id or name of an issuing CA. */
  ca?: string;
  keyType?: KeyType;
  subject?: TemplateSubject;
  sans?: SanPattern[];
  days: number;
  /** Overwrite a template of the same name; without it, an existing name is refused. */
  replace?: boolean;
}

export interface TemplateRenameInput {
  name: string;
  to: string;
}
