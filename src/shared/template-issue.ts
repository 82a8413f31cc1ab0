// The issue request a template makes for one common name: the CLI's `issue --template` builds it
// here, and the issue form fills its fields from the same template, so the two read it alike.

import type { IssueInput, KeyType, SanEntry, SubjectFields, TemplateView } from './contract/index.ts';
import { expandSanPattern } from './san-pattern.ts';

/** What the operator typed on top of the template: each given field wins over the template's. */
export interface TemplateOverrides {
  ca?: string;
  subject?: SubjectFields;
  sans?: SanEntry[];
  days?: number;
  keyType?: KeyType;
}

export function templateSans(template: Pick<TemplateView, 'sans'>, commonName: string): SanEntry[] {
  return template.sans.map(({ type, pattern }) => ({ type, value: expandSanPattern(pattern, commonName) }) as SanEntry);
}

/** A generated-key issue request; `ca` stays empty when neither the template nor the operator names one (main refuses it, naming the field). */
export function issueInputFromTemplate(template: TemplateView, overrides: TemplateOverrides): IssueInput {
  const subject: SubjectFields = { ...template.subject, ...overrides.subject };
  const commonName = subject.commonName ?? '';
  const sans = overrides.sans ?? templateSans(template, commonName);
  const keyType = overrides.keyType ?? template.keyType ?? undefined;
  return {
    ca: overrides.ca ?? template.ca ?? '',
    profile: template.profile,
    subject,
    ...(sans.length > 0 ? { sans } : {}),
    days: overrides.days ?? template.days,
    source: keyType ? { kind: 'generated', keyType } : { kind: 'generated' },
  };
}
