/**
 * The expiry webhook (issue 13, payload in docs/webhook.md): the background round announces each
 * certificate or CA that entered a Schedule warning state (due, overdue, expired) once per state.
 * Sent pairs are remembered in `webhook_sent` only after a 2xx, so a failed round is retried by the
 * next; the last result is kept for Settings, and a new kind of failure is written to the audit log.
 */
import type { Database } from 'better-sqlite3';
import {
  WEBHOOK_MAX_ITEMS,
  WEBHOOK_STATES,
  type ScheduleItem,
  type WebhookItem,
  type WebhookPayload,
  type WebhookResult,
  type WebhookState,
  type WebhookView,
} from '../../../shared/contract/index.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { CertdeskError } from '../errors.ts';
import { SettingsRepository } from '../store/settings-repository.ts';
import { guardedFetch, requireNetwork } from '../workstation/role-guard.ts';
import { readRole } from '../workstation/role.ts';
import { postWebhook, WebhookFailure } from './webhook-post.ts';
import { checkWebhookUrl } from './webhook-url.ts';

const URL_KEY = 'webhook.url';
const LAST_KEY = 'webhook.last';

export interface WebhookOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

function webhookItem(item: ScheduleItem, state: WebhookState): WebhookItem {
  return {
    id: item.id,
    kind: item.kind,
    name: item.name,
    state,
    renewAt: item.renewAt,
    notAfter: item.notAfter,
    issuer: item.issuerName,
    profile: item.profile,
  };
}

export class Webhook {
  private readonly db: Database;
  private readonly settings: SettingsRepository;
  private readonly clock: Clock;
  private readonly audit: AuditLog;
  private readonly fetcher: typeof fetch;
  private readonly timeoutMs: number | undefined;

  constructor(db: Database, clock: Clock, audit: AuditLog, options: WebhookOptions = {}) {
    this.db = db;
    this.settings = new SettingsRepository(db);
    this.clock = clock;
    this.audit = audit;
    this.fetcher = guardedFetch(db, 'the expiry webhook', options.fetch ?? fetch);
    this.timeoutMs = options.timeoutMs;
  }

  show(): WebhookView {
    const last = this.settings.get(LAST_KEY);
    return {
      url: this.url(),
      available: readRole(this.db).role !== 'signer',
      lastResult: last ? (JSON.parse(last) as WebhookResult) : null,
    };
  }

  set(url: string | null): WebhookView {
    requireNetwork(this.db, 'the expiry webhook');
    const next = url === null ? null : checkWebhookUrl(url);
    this.db.transaction(() => {
      this.settings.set(URL_KEY, next ?? '');
      this.settings.set(LAST_KEY, '');
      // The URL's origin only: a path may carry the receiver's secret.
      this.audit.append(next ? 'webhook.set' : 'webhook.clear', null, next ? { origin: new URL(next).origin } : {});
    })();
    return this.show();
  }

  /** Sends a test payload now; a failure is thrown (named) after it is kept as the last result. */
  async test(): Promise<WebhookResult> {
    requireNetwork(this.db, 'the expiry webhook');
    const url = this.url();
    if (!url) throw new CertdeskError('WEBHOOK_NOT_SET', 'No webhook URL is set: enter one and save it first.', { field: 'url' });
    return this.send(url, 'test', [], 0);
  }

  /**
   * The round's part: announces what entered a warning state since it was last announced. Does
   * nothing when no URL is set or on an offline signer. Returns the result, or null when nothing was due.
   */
  async announce(schedule: ScheduleItem[]): Promise<WebhookResult | null> {
    const url = this.announcesTo();
    if (!url) return null;
    const fresh = this.unsent(schedule).map((item) => webhookItem(item, item.state));
    if (fresh.length === 0) return null;
    const items = fresh.slice(0, WEBHOOK_MAX_ITEMS);
    try {
      return await this.send(url, 'warning', items, fresh.length - items.length);
    } catch (error) {
      if (error instanceof WebhookFailure) return this.show().lastResult;
      throw error;
    }
  }

  /**
   * Whether `announce` would send anything for items in these states: asked with the due states alone
   * (dueStates), so a round with nothing new to tell never builds the schedule.
   */
  wouldAnnounce(states: readonly Pick<ScheduleItem, 'id' | 'state'>[]): boolean {
    return this.announcesTo() !== null && this.unsent(states).length > 0;
  }

  /** The URL announcements go to; null when none is set, or on an offline signer (which never sends). */
  private announcesTo(): string | null {
    const url = this.url();
    return url && readRole(this.db).role !== 'signer' ? url : null;
  }

  /** The items in a warning state not yet announced in that state. */
  private unsent<T extends Pick<ScheduleItem, 'id' | 'state'>>(items: readonly T[]): Array<T & { state: WebhookState }> {
    const sent = this.db.prepare('SELECT 1 FROM webhook_sent WHERE subject_id = ? AND threshold = ?');
    return items
      .filter((item): item is T & { state: WebhookState } => (WEBHOOK_STATES as readonly string[]).includes(item.state))
      .filter((item) => !sent.get(item.id, item.state));
  }

  private url(): string | null {
    return this.settings.get(URL_KEY) || null;
  }

  private async send(url: string, kind: WebhookResult['kind'], items: WebhookItem[], omitted: number): Promise<WebhookResult> {
    const at = this.clock.now().toISOString();
    const payload: WebhookPayload = {
      type: kind === 'test' ? 'certdesk.test' : 'certdesk.expiry-warning',
      version: 1,
      sentAt: at,
      items,
      omitted,
    };
    const before = this.show().lastResult;
    try {
      const { status, ms } = await postWebhook(this.fetcher, url, payload, this.timeoutMs);
      const result: WebhookResult = { at, kind, ok: true, status, ms, items: items.length, error: null };
      this.db.transaction(() => {
        const remember = this.db.prepare('INSERT OR IGNORE INTO webhook_sent (subject_id, threshold, sent_at) VALUES (?, ?, ?)');
        for (const item of items) remember.run(item.id, item.state, at);
        this.settings.set(LAST_KEY, JSON.stringify(result));
        if (kind === 'warning')
          this.audit.append('webhook.sent', null, { items: items.map((i) => ({ id: i.id, state: i.state })), status });
      })();
      return result;
    } catch (error) {
      if (!(error instanceof WebhookFailure)) throw error;
      const result: WebhookResult = {
        at,
        kind,
        ok: false,
        status: error.status,
        ms: error.ms,
        items: items.length,
        error: { code: error.code, message: error.message },
      };
      this.db.transaction(() => {
        this.settings.set(LAST_KEY, JSON.stringify(result));
        // Every round retries a failing receiver: the log gets the failure when it starts or changes, not once a minute.
        if (before?.ok !== false || before.kind !== kind || before.error?.code !== error.code)
          this.audit.append('webhook.failed', null, { kind, code: error.code, status: error.status, message: error.message });
      })();
      throw error;
    }
  }
}
