import type { AuthorityKind, AuthorityView, CaKeyType, CreateAuthorityInput } from '../../../../shared/contract/index.ts';
import { hasControlCharacters, isCountryCode } from '../../../../shared/validation.ts';

export interface CreateAuthorityValues {
  name: string;
  organization: string;
  country: string;
  keyType: CaKeyType;
  /** NumberInput reports `''` while the field is empty. */
  years: number | string;
  /** Parent authority id; issuing CAs only. */
  parent: string | null;
}

/** The inputs the server may name in `error.field`; anything else is shown above the form. */
export const FORM_FIELDS = ['name', 'organization', 'country', 'keyType', 'years', 'parent'] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export function isFormField(field: string | undefined): field is FormField {
  return (FORM_FIELDS as readonly (string | undefined)[]).includes(field);
}

export const DEFAULT_YEARS: Record<AuthorityKind, number> = { root: 10, issuing: 5 };
export const MAX_NAME = 64;
const YEAR_MS = 365.25 * 86_400_000;

/** Whole years the parent still covers; the server refuses more, with the same arithmetic. */
export function yearsLeft(parent: AuthorityView | undefined, now = Date.now()): number | null {
  if (!parent) return null;
  return Math.floor((Date.parse(parent.notAfter) - now) / YEAR_MS);
}

export function initialValues(kind: AuthorityKind, roots: AuthorityView[]): CreateAuthorityValues {
  // An expired root can no longer sign; the server would refuse it as the parent.
  const parent = kind === 'issuing' ? (roots.find((root) => Date.parse(root.notAfter) > Date.now()) ?? roots[0]) : undefined;
  const left = yearsLeft(parent);
  const years = left !== null && left >= 1 ? Math.min(DEFAULT_YEARS[kind], left) : DEFAULT_YEARS[kind];
  return { name: '', organization: '', country: '', keyType: 'ec-p256', years, parent: parent?.id ?? null };
}

function text(label: string, value: string, required: boolean): string | null {
  const trimmed = value.trim();
  if (!trimmed) return required ? `${label} is required` : null;
  // Refused, never cut: a silently shortened name would become a CA subject nobody typed.
  if (trimmed.length > MAX_NAME)
    return `${label} is ${trimmed.length} characters long; the limit is ${MAX_NAME} (the X.509 upper bound for this field). Shorten it.`;
  if (hasControlCharacters(trimmed)) return `${label} must not contain control characters`;
  return null;
}

/** Mirrors the server's schema so most mistakes are caught while typing; the server still has the last word. */
export function validators(kind: AuthorityKind, roots: AuthorityView[]) {
  return {
    name: (value: string) => text('Name', value, true),
    organization: (value: string) => text('Organization', value, false),
    country: (value: string) =>
      value.trim() === '' || isCountryCode(value.trim()) ? null : 'Use a two-letter ISO 3166 code in capitals, such as US or DE',
    years: (value: number | string, values: CreateAuthorityValues) => {
      if (typeof value !== 'number' || !Number.isInteger(value)) return 'Enter a whole number of years';
      if (value < 1 || value > 30) return 'Choose between 1 and 30 years';
      const parent = roots.find((root) => root.id === values.parent);
      const left = yearsLeft(parent);
      if (kind === 'issuing' && parent && left !== null && left >= 1 && value > left) {
        return `The parent "${parent.name}" expires in ${left} year${left === 1 ? '' : 's'}; choose at most ${left}`;
      }
      return null;
    },
    parent: (value: string | null) => (kind === 'issuing' && !value ? 'Choose the root CA that signs this one' : null),
  };
}

export function toCreateInput(kind: AuthorityKind, values: CreateAuthorityValues, progressId: string): CreateAuthorityInput {
  const organization = values.organization.trim();
  const country = values.country.trim();
  return {
    name: values.name.trim(),
    ...(organization ? { organization } : {}),
    ...(country ? { country } : {}),
    keyType: values.keyType,
    years: Number(values.years),
    ...(kind === 'issuing' && values.parent ? { parent: values.parent } : {}),
    progressId,
  };
}

/** `crypto.randomUUID` needs a secure context; 127.0.0.1 and file:// are, but fail soft anyway. */
export function newProgressId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
