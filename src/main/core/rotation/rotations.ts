/**
 * One-click rotation as a journaled, resumable job. The job row says which step last completed;
 * the journal has a `begin` row before each step's effect and an `end`/`skip`/`wait`/`fail` row
 * after. A job killed anywhere resumes at the next step, and every step looks before it acts.
 */
import {
  isPastVerification,
  ROTATION_STEP_COUNT,
  rotationStep,
  rotationStepName,
  type ExtendRotationInput,
  type ForceCutoffInput,
  type RotateInput,
  type RotationJobView,
  type RotationJournalEntry,
  type RotationPreview,
} from '../../../shared/contract/index.ts';
import { confirmProduction, type ProductionConsent } from '../auth0/confirm-production.ts';
import { CertdeskError, isTransientError } from '../errors.ts';
import { newId } from '../ids.ts';
import { SubjectConflicts } from '../inventory/subject-conflicts.ts';
import { findProfile, PROFILES } from '../pki/profiles.ts';
import { x509 } from '../pki/x509.ts';
import { ProcessLeases } from '../process-leases.ts';
import { LeaseRepository } from '../store/lease-repository.ts';
import { RotationRepository, type RotationJobRecord } from '../store/rotation-repository.ts';
import { extendDeadline, forceCutoff, type CutoffDeps } from './rotation-cutoff.ts';
import { RotationWait, STEPS, type RotationParts } from './rotation-steps.ts';
import { requireNetwork } from '../workstation/role-guard.ts';

export const DEFAULT_OVERLAP_SECONDS = 86_400;

/** The profile's quiet period (a certificate under a profile this build no longer knows gets the first one's). */
function quietDefault(profile: string | null): number {
  return (PROFILES.some((p) => p.name === profile) ? findProfile(profile ?? undefined) : PROFILES[0]!).rotationQuietSeconds;
}

export interface RotationOptions {
  /** Test seam for kill tests: stop (hang) when this step reaches this phase. */
  pauseAt?: { step: number; phase: 'begin' | 'end' };
  onPause?: () => void;
}

export class Rotations {
  readonly repository: RotationRepository;
  private readonly parts: RotationParts;
  private readonly options: RotationOptions;
  private readonly cancelled = new Set<string>();
  private readonly active = new Map<string, Promise<RotationJobView>>();
  private readonly leases: ProcessLeases;

  constructor(parts: RotationParts, options: RotationOptions = {}) {
    this.parts = parts;
    this.repository = new RotationRepository(parts.ctx.db);
    this.leases = new ProcessLeases(new LeaseRepository(parts.ctx.db));
    this.options = options;
  }

  /** Whether an edge evidence source retires old credentials (else the overlap timer does). */
  private retireOn(): RotationJobView['retireOn'] {
    return this.parts.evidence?.configured() ? 'evidence' : 'overlap';
  }

  view(record: RotationJobRecord): RotationJobView {
    // The consents stay in the core: a view goes to renderers and `--json` output.
    const { consents: _consents, inboxTargetId: _inbox, ...job } = record;
    const now = this.parts.ctx.clock.now();
    const cert = this.parts.ctx.certificates.get(job.certificateId, now);
    const retireOn = this.retireOn();
    const awaitingOperator =
      retireOn === 'evidence' &&
      job.state === 'waiting' &&
      !job.forceCutoff &&
      job.step === rotationStep('verify') &&
      job.overlapUntil !== null &&
      Date.parse(job.overlapUntil) <= now.getTime();
    const boundTenants = [
      ...new Set(
        this.parts.bindings.repository
          .forCertificate(job.certificateId)
          .filter((b) => b.state !== 'removed')
          // A listing never fails on a tenant removed since: its id stands in for its name.
          .map((b) => this.tenantName(b.tenantId)),
      ),
    ];
    return {
      ...job,
      retireOn,
      awaitingOperator,
      boundTenants,
      subject: cert?.subject ?? job.certificateId,
      journal: this.repository.journal(job.id),
    };
  }

  private tenantName(id: string): string {
    try {
      return this.parts.tenants.get(id).name;
    } catch {
      return id;
    }
  }

  /** What a rotation of this certificate would do about delivery and retiring, before it starts. */
  preview(ref: string): RotationPreview {
    const cert = this.parts.inventory.resolve(ref);
    const inbox = cert.keyStorage === 'csr-only' ? (this.parts.delivery?.csrInbox(cert.id) ?? null) : null;
    return {
      certificateId: cert.id,
      deliveryTargets: this.parts.delivery?.targetCount(cert.id) ?? 0,
      csrInbox: inbox?.dir ?? null,
      retireOn: this.retireOn(),
      quietSeconds: quietDefault(cert.profile),
    };
  }

  get(id: string): RotationJobView {
    const job = this.repository.get(id);
    if (!job) throw new CertdeskError('NOT_FOUND', `There is no rotation job "${id}".`, { field: 'job' });
    return this.view(job);
  }

  list(): RotationJobView[] {
    return this.repository.list().map((j) => this.view(j));
  }

  /** Checks a rotation can start, and creates its job (or returns the job already open for the certificate). */
  create(input: RotateInput, batchId: string | null = null): RotationJobRecord {
    const { ctx, bindings, tenants } = this.parts;
    requireNetwork(ctx.db, 'a rotation (it delivers and binds at Auth0)');
    const resolved = this.parts.ctx.certificates.findByRef(input.cert.trim(), ctx.clock.now());
    if (resolved.length !== 1)
      throw new CertdeskError(
        resolved.length ? 'CONFLICT' : 'NOT_FOUND',
        resolved.length
          ? `"${input.cert}" matches several certificates; use the id.`
          : `No certificate has the id, serial or thumbprint "${input.cert}".`,
        { field: 'cert' },
      );
    const cert = resolved[0]!;
    const open = this.repository.openFor(cert.id);
    if (open) return open;
    if (cert.status === 'revoked')
      throw new CertdeskError('CERT_REVOKED', `${cert.subject} is revoked: issue a new certificate and bind it instead of rotating.`, {
        field: 'cert',
      });
    if (cert.status === 'superseded')
      throw new CertdeskError(
        'CONFLICT',
        `${cert.subject} was already renewed (${ctx.certificates.successorOf(cert.id)}); rotate the newest certificate.`,
        { field: 'cert' },
      );
    if (!cert.authorityId)
      throw new CertdeskError('VALIDATION', `${cert.subject} was imported for tracking only; certdesk cannot issue its successor.`, {
        field: 'cert',
      });
    // Before the job exists: the issue step would refuse this successor's DN anyway, after the job was recorded.
    new SubjectConflicts(ctx.db).check(
      new x509.X509Certificate(cert.certDer).subjectName,
      cert.authorityId,
      ctx.clock.now(),
      'cert',
      cert.id,
    );
    if (this.parts.signer?.remote()) this.checkAtSigner(input, cert);
    // A CSR-mode certificate rotates through its csr-inbox target: the workload makes the new key and CSR.
    const inbox = !input.sameKey && cert.keyStorage === 'csr-only' ? (this.parts.delivery?.csrInbox(cert.id) ?? null) : null;
    if (!input.sameKey && cert.keyStorage !== 'sealed' && !inbox)
      throw new CertdeskError(
        'NO_PRIVATE_KEY',
        `The key of ${cert.subject} lives with the client (CSR mode): add a csr-inbox target the workload answers (certdesk target add ${cert.id} --kind csr-inbox --path DIR), rotate with the same key, or sign a new CSR from the client.`,
        { field: 'sameKey' },
      );
    const verify = input.verify ?? !inbox;
    if (verify && cert.keyStorage !== 'sealed')
      throw new CertdeskError(
        'NO_PRIVATE_KEY',
        'Verification needs a key certdesk holds; rotate with verification off (and check with curl on the client).',
        { field: 'verify' },
      );
    // The typed confirmation is checked here, once: the job carries the consent it gives to every later step.
    const bound = bindings.repository.forCertificate(cert.id).filter((b) => b.state === 'active');
    // One reading of the clock: a consent is given at the moment the job is created, to the millisecond.
    const startedAt = ctx.clock.now();
    const consents: ProductionConsent[] = [];
    for (const tenantId of new Set(bound.map((b) => b.tenantId))) {
      const tenant = tenants.get(tenantId);
      const consent = confirmProduction(
        tenant,
        input.confirm
          ?.split(',')
          .map((s) => s.trim())
          .find((n) => n === tenant.name) ?? input.confirm,
        'rotate a certificate on',
        startedAt,
      );
      if (consent) consents.push(consent);
    }
    const quietSeconds = input.quietSeconds ?? quietDefault(cert.profile);
    const at = startedAt.toISOString();
    const id = newId('rot');
    ctx.db.transaction(() => {
      this.repository.insert({
        id,
        batchId,
        certificateId: cert.id,
        sameKey: input.sameKey ?? false,
        verify,
        overlapSeconds: input.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS,
        quietSeconds,
        at,
        consents,
      });
      ctx.audit.append('rotation.start', cert.id, {
        job: id,
        batchId,
        subject: cert.subject,
        sameKey: input.sameKey ?? false,
        verify,
        overlapSeconds: input.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS,
        quietSeconds,
        retireOn: this.retireOn(),
        ...(inbox ? { csrInbox: inbox.targetId } : {}),
        bindings: bound.length,
      });
    })();
    return this.repository.get(id)!;
  }

  /**
   * On a publisher every mode crosses the gap but one: a same-key renewal of a CSR-mode certificate,
   * whose key certdesk never held (no CSR can prove it), and a CSR-mode rotation needs the inbox the
   * workload drops its new CSR in. Refused before the job exists.
   */
  private checkAtSigner(input: RotateInput, cert: { id: string; subject: string; keyStorage: string }): void {
    if (cert.keyStorage === 'sealed') return;
    if (input.sameKey)
      throw new CertdeskError(
        'NO_PRIVATE_KEY',
        `A same-key renewal of ${cert.subject} cannot cross the gap to the offline signer: its key lives with the workload (CSR mode), so certdesk cannot sign the CSR that proves it. Rotate without --same-key through its csr-inbox target (certdesk target add ${cert.id} --kind csr-inbox --path DIR), or send the workload's CSR (certdesk request renew ${cert.id} --csr FILE).`,
        { field: 'sameKey' },
      );
    if (cert.keyStorage === 'csr-only' && !this.parts.delivery?.csrInbox(cert.id))
      throw new CertdeskError(
        'NO_PRIVATE_KEY',
        `The key of ${cert.subject} lives with the workload (CSR mode): on a publisher its new CSR reaches the offline signer through a csr-inbox target; add one (certdesk target add ${cert.id} --kind csr-inbox --path DIR), or send the workload's CSR (certdesk request renew ${cert.id} --csr FILE).`,
        { field: 'cert' },
      );
  }

  /**
   * After the signer's answers are approved on a publisher: every job waiting at the signer whose
   * request is now answered (it goes on: deliver, bind, verify, retire) or refused (it fails, naming the reason).
   */
  async continueFromSigner(): Promise<RotationJobView[]> {
    const signer = this.parts.signer;
    if (!signer?.remote()) return [];
    const ready = this.repository.open().filter((j) => {
      const request = j.step === 0 ? signer.requestOf(j.id) : null;
      return request !== null && request.state !== 'queued';
    });
    const out: RotationJobView[] = [];
    for (const job of ready) out.push(await this.run(job.id));
    return out;
  }

  /** Starts (or resumes) the rotation of one certificate and runs it as far as it can go now. */
  async start(input: RotateInput): Promise<RotationJobView> {
    return this.run(this.create(input).id);
  }

  /** Runs a job from its next step; a second call while it runs waits for the same run. */
  run(jobId: string): Promise<RotationJobView> {
    const running = this.active.get(jobId);
    if (running) return running;
    // One process runs a job at a time: a second one (the CLI beside the app) leaves it alone.
    const release = this.leases.tryHold(`rotation:${jobId}`);
    if (!release) return Promise.resolve(this.get(jobId));
    const promise = this.runNow(jobId).finally(() => {
      release();
      this.active.delete(jobId);
    });
    this.active.set(jobId, promise);
    return promise;
  }

  /** Stops a job between steps. What is done stays done: the successor may already be bound beside the old certificate. */
  cancel(jobId: string): RotationJobView {
    const job = this.get(jobId);
    if (job.state === 'done' || job.state === 'cancelled') return job;
    this.cancelled.add(jobId);
    if (!this.active.has(jobId)) this.finish(this.repository.get(jobId)!, 'cancelled', 'cancelled by the operator', job.step);
    return this.get(jobId);
  }

  /** Removes the old credential without the edge's evidence (see rotation-cutoff.ts), then runs the job on. */
  async forceCutoff(input: ForceCutoffInput): Promise<RotationJobView> {
    return this.run(forceCutoff(this.cutoffDeps(), input));
  }

  /** Moves the deadline of a job waiting for evidence (see rotation-cutoff.ts), then runs the job on. */
  async extend(input: ExtendRotationInput): Promise<RotationJobView> {
    return this.run(extendDeadline(this.cutoffDeps(), input));
  }

  private cutoffDeps(): CutoffDeps {
    return { parts: this.parts, repository: this.repository };
  }

  /**
   * Every unfinished job whose time has come: running ones (interrupted) and waiting ones past their
   * overlap or tenant outage; with an edge evidence source, every waiting one (the evidence may have come).
   */
  async resumeDue(): Promise<RotationJobView[]> {
    const now = this.parts.ctx.clock.now().getTime();
    const evidence = this.retireOn() === 'evidence';
    const due = this.repository
      .open()
      .filter((j) => evidence || j.state === 'running' || !j.overlapUntil || !isPastVerification(j) || Date.parse(j.overlapUntil) <= now);
    const out: RotationJobView[] = [];
    for (const job of due) out.push(await this.run(job.id));
    return out;
  }

  private journal(job: RotationJobRecord, step: number, phase: RotationJournalEntry['phase'], detail: string): void {
    const { ctx } = this.parts;
    this.repository.append(job.id, step, phase, ctx.clock.now().toISOString(), detail);
    const state = this.repository.get(job.id)!.state;
    ctx.emit({
      type: 'rotation',
      jobId: job.id,
      batchId: job.batchId,
      certificateId: job.certificateId,
      step,
      name: rotationStepName(step),
      phase,
      state,
      detail,
    });
  }

  private finish(job: RotationJobRecord, state: 'done' | 'failed' | 'cancelled', message: string, step: number): void {
    const { ctx } = this.parts;
    const at = ctx.clock.now().toISOString();
    ctx.db.transaction(() => {
      this.repository.update(job.id, at, { state, message, finishedAt: at });
      // A job cancelled at the signer takes back its pending key and request with it, or not at all.
      const withdrawn = state === 'cancelled' ? (this.parts.signer?.withdraw(job.id) ?? []) : [];
      ctx.audit.append(`rotation.${state}`, job.certificateId, {
        job: job.id,
        batchId: job.batchId,
        step,
        successorId: job.successorId,
        message,
        ...(withdrawn.length ? { withdrawn } : {}),
      });
    })();
    // A step failing has already said so (phase fail), and the last step ending is the job done; a cancel has no step event of its own.
    if (state === 'cancelled')
      ctx.emit({
        type: 'rotation',
        jobId: job.id,
        batchId: job.batchId,
        certificateId: job.certificateId,
        step,
        name: rotationStepName(Math.max(step, 1)),
        phase: 'skip',
        state,
        detail: message,
      });
  }

  /**
   * A job that has to wait (overlap, or the tenant unreachable): recorded, audited and announced.
   * The background retries a waiting job every round; when it waits again for the same reason,
   * only the row is touched, so an unreachable tenant does not mean a notice and an audit entry
   * per job per minute.
   */
  private wait(job: RotationJobRecord, step: number, message: string, waitingBefore: string | null, reason?: string): void {
    const { ctx } = this.parts;
    const at = ctx.clock.now().toISOString();
    if (waitingBefore === message || (reason !== undefined && waitingBefore?.startsWith(reason))) {
      this.repository.update(job.id, at, { state: 'waiting', message });
      return;
    }
    ctx.db.transaction(() => {
      this.repository.update(job.id, at, { state: 'waiting', message });
      ctx.audit.append('rotation.wait', job.certificateId, {
        job: job.id,
        batchId: job.batchId,
        step,
        name: rotationStepName(step),
        message,
      });
    })();
    this.journal(job, step, 'wait', message);
  }

  /** Cancelled from another process while a step ran: its wait or failure must not reopen the job. */
  private closedMeanwhile(jobId: string): boolean {
    return this.repository.get(jobId)?.state === 'cancelled';
  }

  private async pause(step: number, phase: 'begin' | 'end'): Promise<void> {
    const at = this.options.pauseAt;
    if (!at || at.step !== step || at.phase !== phase) return;
    // No keychain write in flight when the test kills us: gnome-keyring aborts when a client dies
    // mid-call, and a crashed shared daemon would fail every later test, not this one.
    await this.parts.ctx.audit.settle();
    this.options.onPause?.();
    // Hang here, alive, until the test kills the process (a bare pending promise would let Node exit).
    await new Promise<never>(() => setInterval(() => {}, 1 << 30));
  }

  private async runNow(jobId: string): Promise<RotationJobView> {
    const { ctx } = this.parts;
    let job = this.repository.get(jobId);
    if (!job) throw new CertdeskError('NOT_FOUND', `There is no rotation job "${jobId}".`, { field: 'job' });
    if (job.state === 'done' || job.state === 'cancelled') return this.view(job);
    const waitingBefore = job.state === 'waiting' ? job.message : null;
    if (job.state !== 'running')
      this.repository.update(job.id, ctx.clock.now().toISOString(), { state: 'running', message: null, finishedAt: null });
    for (let step = job.step + 1; step <= ROTATION_STEP_COUNT; step++) {
      job = this.repository.get(jobId)!;
      if (job.state === 'cancelled') return this.get(jobId); // cancelled from another process
      if (this.cancelled.delete(jobId)) {
        this.finish(job, 'cancelled', `cancelled by the operator after step ${job.step}`, job.step);
        return this.get(jobId);
      }
      this.journal(job, step, 'begin', rotationStepName(step));
      await this.pause(step, 'begin');
      let result;
      try {
        result = await STEPS[rotationStepName(step)](job, this.parts);
      } catch (error) {
        if (this.closedMeanwhile(jobId)) return this.get(jobId);
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof RotationWait || isTransientError(error)) {
          this.wait(job, step, message, waitingBefore);
          return this.get(jobId);
        }
        this.journal(job, step, 'fail', message);
        this.finish(job, 'failed', message, job.step);
        return this.get(jobId);
      }
      if (result.kind === 'wait') {
        if (this.closedMeanwhile(jobId)) return this.get(jobId);
        const at = ctx.clock.now().toISOString();
        const overlapEnd = result.until ?? result.deadline;
        if (overlapEnd && !job.overlapUntil) this.repository.update(job.id, at, { overlapUntil: overlapEnd });
        if (result.until && Date.parse(result.until) <= ctx.clock.now().getTime()) {
          step -= 1; // the overlap is already over (or zero): run the step again now
          continue;
        }
        this.wait(job, step, result.detail, waitingBefore, result.reason);
        // Cancelled while this step ran (it queued a request for the signer, say): closed now, not at the next run.
        if (this.cancelled.delete(jobId))
          this.finish(this.repository.get(jobId)!, 'cancelled', `cancelled by the operator after step ${job.step}`, job.step);
        return this.get(jobId);
      }
      const at = ctx.clock.now().toISOString();
      ctx.db.transaction(() => {
        this.repository.update(job!.id, at, {
          step,
          ...(result.successorId ? { successorId: result.successorId } : {}),
          ...(result.inboxTargetId ? { inboxTargetId: result.inboxTargetId } : {}),
        });
        this.repository.append(job!.id, step, result.kind === 'done' ? 'end' : 'skip', at, result.detail);
        ctx.audit.append('rotation.step', job!.certificateId, {
          job: job!.id,
          step,
          name: rotationStepName(step),
          outcome: result.kind,
          detail: result.detail,
        });
      })();
      ctx.emit({
        type: 'rotation',
        jobId: job.id,
        batchId: job.batchId,
        certificateId: job.certificateId,
        step,
        name: rotationStepName(step),
        phase: result.kind === 'done' ? 'end' : 'skip',
        state: 'running',
        detail: result.detail,
      });
      await this.pause(step, 'end');
    }
    job = this.repository.get(jobId)!;
    this.finish(job, 'done', `rotated to ${job.successorId ?? 'its successor'}`, ROTATION_STEP_COUNT);
    return this.get(jobId);
  }
}
