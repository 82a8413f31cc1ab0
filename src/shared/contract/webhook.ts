/**
 * The expiry webhook (issue 13): an optional JSON POST to a URL the operator sets, listing the
 * certificates that entered the Schedule's warning states. Its payload is documented in docs/webhook.md.
 */
import type { ScheduleState } from './schedule.ts';

/** The states a webhook announces, each once per certificate: the thresholds of the Schedule. */
export const WEBHOOK_STATES = ['due', 'overdue', 'expired'] as const satisfies readonly ScheduleState[];
export type WebhookState = (typeof WEBHOOK_STATES)[number];

export interface WebhookItem {
  id: string;
  kind: 'leaf' | 'ca';
  name: string;
  state: WebhookState;
  renewAt: string;
  notAfter: string;
  issuer: string;
  profile: string | null;
}

export interface WebhookPayload {
  type: 'certdesk.expiry-warning' | 'certdesk.test';
  version: 1;
  sentAt: string;
  items: WebhookItem[];
  /** Items left for the next round because one POST carries at most WEBHOOK_MAX_ITEMS. */
  omitted: number;
}

export const WEBHOOK_MAX_ITEMS = 100;

export interface WebhookResult {
  at: string;
  kind: 'test' | 'warning';
  ok: boolean;
  /** The HTTP status, when an answer came. */
  status: number | null;
  /** How long the request took, in milliseconds. */
  ms: number;
  items: number;
  error: { code: string; message: string } | null;
}

export interface WebhookView {
  url: string | null;
  /** False on an offline signer, which opens no network connection. */
  available: boolean;
  lastResult: WebhookResult | null;
}
