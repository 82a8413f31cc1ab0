import { randomId } from '@mantine/hooks';
import type {
  AuthorityView,
  IssueInput,
  KeyType,
  ProfileView,
  SanType,
  SubjectFields,
  TemplateSaveInput,
  TemplateSubject,
  TemplateView,
} from '../../../../../shared/contract/index.ts';
import { EMPTY_PEM_INPUT, pemInputHoldsPrivateKey, pemInputPayload, type PemInputValue } from '../../../components/PemInput.tsx';
import { hasControlCharacters, isCountryCode, sanProblem } from '../../../../../shared/validation.ts';
import { expandSanPattern, sanPatternProblem } from '../../../../../shared/san-pattern.ts';

export type IssueMode = 'generate' | 'csr';

export interface SanRow {
  /** React key only; never sent. */
  key: string;
  type: SanType;
  value: string;
}

export interface IssueValues {
  profile: string | null;
  ca: string | null;
  mode: IssueMode;
  keyType: KeyType | null;
  commonName: string;
  organization: string;
  organizationalUnit: string;
  country: string;
  sans: SanRow[];
  /** NumberInput reports `''` while the field is empty. */
  days: number | string;
  csr: PemInputValue;
}

export const MAX_NAME = 64;

export function newSanRow(type: SanType = 'dns', value = ''): SanRow {
  return { key: randomId(), type, value };
}

/** Leaf certificates are signed by issuing CAs only; a root signs only CAs. */
export function issuingAuthorities(authorities: AuthorityView[]): AuthorityView[] {
  return authorities.filter((authority) => authority.kind === 'issuing');
}

export function initialIssueValues(profiles: ProfileView[], issuing: AuthorityView[], now = Date.now()): IssueValues {
  const profile = profiles[0];
  const ca = issuing.find((authority) => Date.parse(authority.notAfter) > now) ?? issuing[0];
  return {
    profile: profile?.name ?? null,
    ca: ca?.id ?? null,
    mode: 'generate',
    keyType: profile?.defaultKeyType ?? null,
    commonName: '',
    organization: '',
    organizationalUnit: '',
    country: '',
    sans: [],
    days: profile?.defaultDays ?? 365,
    csr: EMPTY_PEM_INPUT,
  };
}

/** The subject is typed in generate mode, and in CSR mode only where the profile lets the operator override it. */
export function subjectEditable(values: IssueValues, profile: ProfileView | undefined): boolean {
  return values.mode === 'generate' || profile?.csrSubject === 'override-allowed';
}

function text(label: string, value: string, required: boolean): string | null {
  const trimmed = value.trim();
  if (required && !trimmed) return `Enter the ${label}`;
  if (trimmed.length > MAX_NAME) return `Use at most ${MAX_NAME} characters`;
  if (hasControlCharacters(value)) return `The ${label} cannot contain control characters`;
  return null;
}

/** The shared rule decides (the one main applies to typed SANs and a CSR's alike); the wording is the form's. */
function sanError(type: SanType, value: string, commonName: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return 'Enter a value or remove this line';
  // A template's `{cn}` becomes the common name: the SAN is judged as it will be sent.
  if (/[{}]/.test(trimmed) && sanPatternProblem(type, trimmed)?.includes('{cn}'))
    return 'Only {cn} may be in braces: it stands for the common name';
  if (sanProblem(type, expandSanPattern(trimmed, commonName.trim())) === null) return null;
  if (type === 'dns') return 'Not a host name (letters, digits, hyphens and dots, such as client.example.com)';
  if (type === 'email') return 'Not an email address (such as ops@example.com)';
  return 'Not an absolute URI (it needs a scheme, such as https: or spiffe:)';
}

/** Mirrors the server's rules so most mistakes show while typing; the server still has the last word. */
export function validateIssue(values: IssueValues, profile: ProfileView | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (field: string, error: string | null) => {
    if (error) errors[field] = error;
  };
  if (!values.profile || !profile) errors.profile = 'Choose a profile';
  if (!values.ca) errors.ca = 'Choose the issuing CA that signs the certificate';
  const editable = subjectEditable(values, profile);
  if (values.mode === 'generate') {
    if (!values.keyType) errors.keyType = 'Choose a key type';
    else if (profile && !profile.keyTypes.includes(values.keyType))
      errors.keyType = `The ${profile.name} profile does not allow this key type`;
  } else if (pemInputHoldsPrivateKey(values.csr)) {
    errors.csr = 'This is a private key, not a CSR: remove it (nothing was sent).';
  } else if (!pemInputPayload(values.csr)) {
    errors.csr = 'Paste the CSR, or drop or choose its file';
  }
  if (editable) {
    // The operator names the certificate in both modes: a CSR's own subject is only a suggestion.
    add('commonName', text('common name', values.commonName, true));
    add('organization', text('organization', values.organization, false));
    add('organizationalUnit', text('organizational unit', values.organizationalUnit, false));
    if (values.country.trim() && !isCountryCode(values.country.trim())) errors.country = 'Two capital letters (ISO 3166), such as US or DE';
    values.sans.forEach((san, index) => add(`sans.${index}.value`, sanError(san.type, san.value, values.commonName)));
  }
  const days = values.days;
  if (typeof days !== 'number' || !Number.isInteger(days)) errors.days = 'Enter a whole number of days';
  else if (days < 1) errors.days = 'At least 1 day';
  else if (profile && days > profile.maxDays) errors.days = `The ${profile.name} profile allows at most ${profile.maxDays} days`;
  return errors;
}

/** A saved template's settings in the form; the common name stays as typed, `{cn}` in a SAN follows it. */
export function withTemplate(values: IssueValues, template: TemplateView, profiles: ProfileView[], issuing: AuthorityView[]): IssueValues {
  const profile = profiles.find((candidate) => candidate.name === template.profile);
  const ca = issuing.find((authority) => authority.id === template.ca);
  return {
    ...values,
    mode: 'generate',
    profile: profile?.name ?? values.profile,
    ca: ca?.id ?? values.ca,
    keyType: template.keyType ?? profile?.defaultKeyType ?? values.keyType,
    organization: template.subject.organization ?? '',
    organizationalUnit: template.subject.organizationalUnit ?? '',
    country: template.subject.country ?? '',
    sans: template.sans.map((san) => newSanRow(san.type, san.pattern)),
    days: template.days,
  };
}

/** The form's settings as a template: the SAN values are kept as typed, `{cn}` and all. */
export function toTemplateInput(values: IssueValues, name: string, replace: boolean): TemplateSaveInput {
  const subject: TemplateSubject = {};
  if (values.organization.trim()) subject.organization = values.organization.trim();
  if (values.organizationalUnit.trim()) subject.organizationalUnit = values.organizationalUnit.trim();
  if (values.country.trim()) subject.country = values.country.trim();
  return {
    name,
    profile: values.profile ?? '',
    ...(values.ca ? { ca: values.ca } : {}),
    ...(values.mode === 'generate' && values.keyType ? { keyType: values.keyType } : {}),
    ...(Object.keys(subject).length > 0 ? { subject } : {}),
    ...(values.sans.length > 0 ? { sans: values.sans.map(({ type, value }) => ({ type, pattern: value.trim() })) } : {}),
    days: Number(values.days),
    ...(replace ? { replace: true } : {}),
  };
}

/** The CSR's CN, O, OU and C copied into the operator's fields: the "use the CSR's subject" action. */
export function withCsrSubject(values: IssueValues, fields: SubjectFields): IssueValues {
  return {
    ...values,
    commonName: fields.commonName ?? '',
    organization: fields.organization ?? '',
    organizationalUnit: fields.organizationalUnit ?? '',
    country: fields.country ?? '',
  };
}

export function toIssueInput(values: IssueValues, profile: ProfileView | undefined, progressId: string): IssueInput {
  const subject: SubjectFields = {};
  if (subjectEditable(values, profile)) {
    const pairs = [
      ['commonName', values.commonName],
      ['organization', values.organization],
      ['organizationalUnit', values.organizationalUnit],
      ['country', values.country],
    ] as const;
    for (const [field, value] of pairs) if (value.trim()) subject[field] = value.trim();
  }
  const sans = subjectEditable(values, profile)
    ? values.sans.map(({ type, value }) => ({ type, value: expandSanPattern(value.trim(), values.commonName.trim()) }))
    : [];
  return {
    ca: values.ca ?? '',
    ...(values.profile ? { profile: values.profile } : {}),
    ...(Object.keys(subject).length > 0 ? { subject } : {}),
    ...(sans.length > 0 ? { sans } : {}),
    days: Number(values.days),
    source:
      values.mode === 'generate'
        ? { kind: 'generated', ...(values.keyType ? { keyType: values.keyType } : {}) }
        : // A profile that copies the CSR's subject: the operator read it in the preview before submitting.
          { kind: 'csr', csr: pemInputPayload(values.csr), ...(subjectEditable(values, profile) ? {} : { useCsrSubject: true }) },
    progressId,
  };
}

const PLAIN_FIELDS = new Set([
  'profile',
  'ca',
  'keyType',
  'commonName',
  'organization',
  'organizationalUnit',
  'country',
  'sans',
  'days',
  'csr',
]);

/**
 * The form field a server error names, or `null` for the alert above the form. The server names
 * fields by their place in IssueInput (`subject.commonName`, `source.csr`, `sans.1.value`).
 */
export function formFieldFor(field: string | undefined, mode: IssueMode): string | null {
  if (!field) return null;
  const path = field.replace(/^subject\./, '').replace(/^source\./, '');
  if (PLAIN_FIELDS.has(path)) return path;
  const san = /^sans\.(\d+)(?:\.(type|value))?$/.exec(path);
  if (san) return `sans.${san[1]}.${san[2] ?? 'value'}`;
  if (path === 'subject') return 'commonName';
  if (path === 'source' || path === 'kind') return mode === 'csr' ? 'csr' : 'keyType';
  return null;
}

/** Where to put the cursor for a field's error. */
export function testIdFor(field: string): { testId: string; nth: number } | null {
  const ids: Record<string, string> = {
    profile: 'issue-profile',
    ca: 'issue-ca',
    keyType: 'issue-key-type',
    commonName: 'issue-cn',
    organization: 'issue-o',
    organizationalUnit: 'issue-ou',
    country: 'issue-c',
    days: 'issue-days',
    csr: 'issue-csr',
    sans: 'issue-san-add',
  };
  if (ids[field]) return { testId: ids[field], nth: 0 };
  const san = /^sans\.(\d+)\.(type|value)$/.exec(field);
  return san ? { testId: san[2] === 'type' ? 'issue-san-type' : 'issue-san-value', nth: Number(san[1]) } : null;
}
