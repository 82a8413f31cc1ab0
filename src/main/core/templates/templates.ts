/**
 * Certificate templates (issue 13): named issue settings. The API's schema has already bounded and
 * shaped the input; here the rules that need the store are applied (the profile exists and allows the
 * key type and validity, the CA is an issuing CA, the name is free) before anything is written.
 */
import type { Database, Statement } from 'better-sqlite3';
import type {
  KeyType,
  SanPattern,
  TemplateRenameInput,
  TemplateSaveInput,
  TemplateSubject,
  TemplateView,
} from '../../../shared/contract/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Authorities } from '../ca/authorities.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { newId } from '../ids.ts';
import { checkDays, checkKeyType, findProfile } from '../pki/profiles.ts';

/** What the `spec` column holds (version 1). */
interface TemplateSpec {
  v: 1;
  profile: string;
  ca: string | null;
  keyType: KeyType | null;
  subject: TemplateSubject;
  sans: SanPattern[];
  days: number;
}

interface Row {
  id: string;
  name: string;
  spec: string;
  created_at: string;
  updated_at: string;
}

export class Templates {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly audit: AuditLog;
  private readonly authorities: Authorities;
  private readonly byName: Statement<[string], Row>;

  constructor(db: Database, clock: Clock, audit: AuditLog, authorities: Authorities) {
    this.db = db;
    this.clock = clock;
    this.audit = audit;
    this.authorities = authorities;
    this.byName = db.prepare('SELECT * FROM cert_templates WHERE name = ?');
  }

  list(): TemplateView[] {
    const rows = this.db.prepare('SELECT * FROM cert_templates ORDER BY name COLLATE NOCASE').all() as Row[];
    return rows.map((row) => this.view(row));
  }

  get(name: string): TemplateView {
    return this.view(this.row(name));
  }

  save(input: TemplateSaveInput): TemplateView {
    const spec = this.check(input);
    const now = this.clock.now().toISOString();
    const existing = this.byName.get(input.name);
    if (existing && !input.replace)
      throw new CertdeskError(
        'TEMPLATE_NAME_TAKEN',
        `A template named "${existing.name}" exists already. Choose another name, or replace it (CLI: --replace).`,
        { field: 'name' },
      );
    this.db.transaction(() => {
      if (existing) {
        // The name keeps the spelling the operator typed last.
        this.db
          .prepare('UPDATE cert_templates SET name = ?, spec = ?, updated_at = ? WHERE id = ?')
          .run(input.name, JSON.stringify(spec), now, existing.id);
        this.audit.append('template.replace', existing.id, { name: input.name });
      } else {
        const id = newId('tpl');
        this.db
          .prepare('INSERT INTO cert_templates (id, name, spec, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
          .run(id, input.name, JSON.stringify(spec), now, now);
        this.audit.append('template.save', id, { name: input.name });
      }
    })();
    return this.get(input.name);
  }

  rename({ name, to }: TemplateRenameInput): TemplateView {
    const row = this.row(name);
    const taken = this.byName.get(to);
    if (taken && taken.id !== row.id)
      throw new CertdeskError('TEMPLATE_NAME_TAKEN', `A template named "${taken.name}" exists already. Choose another name.`, {
        field: 'to',
      });
    this.db.transaction(() => {
      this.db.prepare('UPDATE cert_templates SET name = ?, updated_at = ? WHERE id = ?').run(to, this.clock.now().toISOString(), row.id);
      this.audit.append('template.rename', row.id, { from: row.name, to });
    })();
    return this.get(to);
  }

  delete(name: string): TemplateView {
    const row = this.row(name);
    const view = this.view(row);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cert_templates WHERE id = ?').run(row.id);
      this.audit.append('template.delete', row.id, { name: row.name });
    })();
    return view;
  }

  private row(name: string): Row {
    const row = this.byName.get(name);
    if (row) return row;
    const known = this.list().map((t) => `"${t.name}"`);
    throw new CertdeskError(
      'NOT_FOUND',
      `No template is named "${name}". ${known.length ? `Templates: ${known.join(', ')}.` : 'None is saved yet.'}`,
      { field: 'name' },
    );
  }

  /** The rules that need the store; errors name the field the operator fixes. */
  private check(input: TemplateSaveInput): TemplateSpec {
    const profile = findProfile(input.profile);
    if (input.keyType) checkKeyType(profile, input.keyType);
    checkDays(profile, input.days);
    let ca: string | null = null;
    if (input.ca) {
      const authority = this.authorities.get(input.ca, 'ca');
      if (authority.kind !== 'issuing')
        throw new CertdeskError(
          'VALIDATION',
          `"${authority.name}" is a root CA; a template names the issuing CA that signs its certificates.`,
          {
            field: 'ca',
          },
        );
      ca = authority.id;
    }
    return {
      v: 1,
      profile: profile.name,
      ca,
      keyType: input.keyType ?? null,
      subject: input.subject ?? {},
      sans: input.sans ?? [],
      days: input.days,
    };
  }

  private view(row: Row): TemplateView {
    const spec = JSON.parse(row.spec) as TemplateSpec;
    const ca = spec.ca ? this.authorities.list().find((authority) => authority.id === spec.ca) : undefined;
    return {
      name: row.name,
      profile: spec.profile,
      ca: spec.ca,
      caName: ca?.name ?? null,
      keyType: spec.keyType,
      subject: spec.subject,
      sans: spec.sans,
      days: spec.days,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
