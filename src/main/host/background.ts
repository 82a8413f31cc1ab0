/**
 * What the app does on its own while it runs: tell the operator when certificates become due
 * (an OS notification in Electron; the web renderer has its banner), resume rotation jobs whose
 * overlap has passed or whose tenant was unreachable, continue applies that waited in the outbox,
 * announce rotation results, and POST newly due items to the operator's webhook. No Electron
 * import: the host passes `notify`.
 */
import {
  isLastStep,
  ROTATION_WAIT,
  rotationStep,
  crlFreshness,
  type AuthorityView,
  type CertdeskEvent,
  type ScheduleItem,
} from '../../shared/contract/index.ts';
import { resumeOutbox } from '../core/auth0/resume-outbox.ts';
import type { CertdeskService } from '../core/service.ts';

export interface Notice {
  title: string;
  body: string;
  tone?: 'success' | 'info' | 'warning' | 'error';
}

export interface BackgroundWork {
  /** One round: due check, then resuming rotations. Runs on a timer; tests call it directly. */
  tick(): Promise<void>;
  stop(): void;
}

const NOTIFY_STATES = new Set<ScheduleItem['state']>(['due', 'overdue', 'expired']);

/** A notice for items that became due since the last round (all of them on the first round). */
export function dueNotice(items: ScheduleItem[], seen: Set<string>): Notice | null {
  const fresh = items.filter((i) => NOTIFY_STATES.has(i.state) && !seen.has(`${i.id}:${i.state}`));
  for (const i of fresh) seen.add(`${i.id}:${i.state}`);
  if (fresh.length === 0) return null;
  const worst = fresh.some((i) => i.state === 'expired') ? 'expired' : fresh.some((i) => i.state === 'overdue') ? 'overdue' : 'due';
  const names =
    fresh
      .slice(0, 3)
      .map((i) => i.name)
      .join(', ') + (fresh.length > 3 ? ` and ${fresh.length - 3} more` : '');
  return {
    title: fresh.length === 1 ? `A certificate is ${worst}` : `${fresh.length} certificates need rotation`,
    body: `${names}. Open the Schedule to rotate.`,
  };
}

/** A notice for each CA whose CRL is about to run out (or ran out), once per CRL and state. */
export function crlNotice(authorities: AuthorityView[], now: Date, seen: Set<string>): Notice | null {
  const fresh = authorities
    .filter((ca) => !ca.revokedAt && ca.crl)
    .map((ca) => ({ ca, freshness: crlFreshness(ca.crl, now) }))
    .filter(({ ca, freshness }) => freshness.warning && !seen.has(`crl:${ca.id}:${ca.crl!.crlNumber}:${freshness.state}`));
  for (const { ca, freshness } of fresh) seen.add(`crl:${ca.id}:${ca.crl!.crlNumber}:${freshness.state}`);
  if (fresh.length === 0) return null;
  const first = fresh[0]!;
  return {
    title: fresh.length === 1 ? `The CRL of ${first.ca.name} needs renewing` : `${fresh.length} CRLs need renewing`,
    body:
      fresh.length === 1
        ? first.freshness.warning
        : `${fresh.map(({ ca }) => ca.name).join(', ')}: sign new CRLs and publish them to the edge.`,
    tone: fresh.some(({ freshness }) => freshness.state === 'stale') ? 'error' : 'warning',
  };
}

/** A notice for a rotation that finished, stopped, was cancelled or has to wait. */
export function rotationNotice(event: CertdeskEvent): Notice | null {
  if (event.type !== 'rotation') return null;
  const detail = event.detail.slice(0, 200);
  if (event.state === 'cancelled') return { title: 'Rotation cancelled', body: detail, tone: 'warning' };
  if (event.phase === 'fail') return { title: 'Rotation stopped', body: `Step ${event.step} (${event.name}): ${detail}`, tone: 'error' };
  if (isLastStep(event.step) && event.phase === 'end') return { title: 'Rotation complete', body: detail, tone: 'success' };
  if (
    event.phase === 'wait' &&
    (event.detail.startsWith(ROTATION_WAIT.oldStillSeen) || event.detail.startsWith(ROTATION_WAIT.successorUnseen))
  )
    return {
      title: 'Rotation waiting for the workload to switch',
      body: `${detail} Force the cut-off or extend the deadline.`,
      tone: 'warning',
    };
  if (event.phase === 'wait' && event.detail.startsWith(ROTATION_WAIT.evidence))
    return { title: 'Rotation waiting for edge evidence', body: detail, tone: 'info' };
  if (event.phase === 'wait' && event.detail.startsWith(ROTATION_WAIT.csr))
    return { title: "Rotation waiting for the workload's CSR", body: detail, tone: 'info' };
  if (event.phase === 'wait' && event.detail.startsWith(ROTATION_WAIT.signer))
    return { title: 'Rotation waiting at the offline signer', body: detail, tone: 'info' };
  if (event.phase === 'wait' && event.step === rotationStep('deliver'))
    return { title: 'Rotation waiting for delivery', body: `${detail} It continues on its own.`, tone: 'info' };
  if (event.phase === 'wait' && event.step === rotationStep('remove-old'))
    return { title: 'Rotation waiting for the overlap', body: detail, tone: 'info' };
  if (event.phase === 'wait')
    return {
      title: 'Rotation waiting for the tenant',
      body: `Step ${event.step} (${event.name}): ${detail} It continues on its own.`,
      tone: 'warning',
    };
  return null;
}

/**
 * The host's event sink with rotation notices added: every event goes to `send`, and one that
 * deserves a notice also goes to `notify` (an OS notification in Electron, a toast in web mode).
 */
export function withNotices(send: (event: CertdeskEvent) => void, notify: (notice: Notice) => void): (event: CertdeskEvent) => void {
  return (event) => {
    send(event);
    const notice = rotationNotice(event);
    if (notice) notify(notice);
  };
}

/**
 * Publishes the edge again when the next pre-signed CRL has begun (issue 12 §5), and says so; a failure
 * is told once per message (the next round tries again, and the audit has each attempt that ran).
 */
async function republishNotice(service: Pick<CertdeskService, 'republishBegunCrls'>, seen: Set<string>): Promise<Notice | null> {
  try {
    const outcome = await service.republishBegunCrls();
    if (!outcome?.published) return null;
    const crls = outcome.begun.map((b) => `${b.ca} #${b.inEffect}`).join(', ');
    return { title: 'Edge republished with the next pre-signed CRL', body: `${crls}: ${outcome.reason}.`, tone: 'info' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (seen.has(`republish:${message}`)) return null;
    seen.add(`republish:${message}`);
    return { title: 'The edge could not be given the next pre-signed CRL', body: message.slice(0, 300), tone: 'error' };
  }
}

export function startBackgroundWork(
  service: CertdeskService,
  options: {
    /** Where notices go; without it the round tells nothing (web mode), and builds nothing to tell. */
    notify?: (notice: Notice) => void;
    intervalMs?: number;
  },
): BackgroundWork {
  const seen = new Set<string>();
  let running: Promise<void> | null = null;
  const notify = options.notify;
  const round = async () => {
    try {
      // An idle passphrase key leaves memory within a round of its deadline, even if nothing asks for it.
      service.vault.lockIfIdle();
      // Only what is due, overdue or expired is told (here and by the webhook). The states come first, from
      // one index: the schedule's items (names, warnings, bindings) are built only when there is something new
      // to tell, so a round on a 100,000-certificate inventory with nothing new reads no row (issue 14).
      const states = service.dueStates();
      const newToTell = notify !== undefined && states.some((s) => NOTIFY_STATES.has(s.state) && !seen.has(`${s.id}:${s.state}`));
      if (newToTell || service.webhook.wouldAnnounce(states)) {
        const schedule = service.schedule({ withinDays: 0 });
        const notice = notify ? dueNotice(schedule, seen) : null;
        if (notice) notify?.(notice);
        // Beyond the app: the operator's webhook hears of each newly due item once (a failure is kept for Settings).
        await service.webhook.announce(schedule).catch(() => null);
      }
      const crl = crlNotice(service.listAuthorities(), new Date(), seen);
      if (crl) notify?.(crl);
      const republished = await republishNotice(service, seen);
      if (republished) notify?.(republished);
      if (service.rotations.repository.open().length > 0) await service.rotations.resumeDue();
      await resumeOutbox(service);
    } catch {
      // A locked vault or a closed store: the next round tries again; errors surface in the UI.
    }
  };
  const tick = () => (running ??= round().finally(() => (running = null)));
  const timer = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  timer.unref();
  return { tick, stop: () => clearInterval(timer) };
}
