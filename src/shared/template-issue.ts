// The issue request a template makes for one common name: the CLI's `issue --template` builds it
// here, and the issue form reads the same template, so the two expand it alike. The shapes are
// written out structurally (src/shared imports only its siblings); the contract's IssueInput and
// TemplateView fit them, which the type check confirms where they are used.

import { expandSanPattern } from './san-pattern.ts';
import type { SanKind } from './validation.ts';

type San = { type: SanKind; value: string };
type Subject = { commonName?: string; organization?: string; organizationalUnit?: string; country?: string };

export interface TemplateShape<K extends string> {
  profile: string;
  ca: string | null;
  keyType: K | null;
  subject: Omit<Subject, 'commonName'>;
  sans: { type: SanKind; pattern: string }[];
  days: number;
}

/** What the operator typed on top of the template: each given field wins over the template's. */
export interface TemplateOverrides<K extends string> {
  ca?: string;
  subject?: Subject;
  sans?: San[];
  days?: number;
  keyType?: K;
}

export function templateSans(template: { sans: { type: SanKind; pattern: string }[] }, commonName: string): San[] {
  return template.sans.map(({ type, pattern }) => ({ type, value: expandSanPattern(pattern, commonName) }));
}

/** A generated-key issue request; `ca` stays empty when neither the template nor the operator names one. */
export function issueInputFromTemplate<K extends string>(template: TemplateShape<K>, overrides: TemplateOverrides<K>) {
  const subject: Subject = { ...template.subject, ...overrides.subject };
  const sans = overrides.sans ?? templateSans(template, subject.commonName ?? '');
  const keyType = overrides.keyType ?? template.keyType ?? undefined;
  return {
    ca: overrides.ca ?? template.ca ?? '',
    profile: template.profile,
    subject,
    ...(sans.length > 0 ? { sans } : {}),
    days: overrides.days ?? template.days,
    source: keyType ? { kind: 'generated' as const, keyType } : { kind: 'generated' as const },
  };
}
