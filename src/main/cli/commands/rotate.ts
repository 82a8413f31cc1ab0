/** `certdesk rotate` and `certdesk rotations`: one-click rotation from the command line. */
import type { Command } from 'commander';
import {
  EXIT_FAILURE,
  EXIT_RETRY_LATER,
  isPastVerification,
  ROTATION_STEP_COUNT,
  ROTATION_WAIT,
  type BulkRotationSummary,
  type ChannelInput,
  type RotationJobView,
} from '../../../shared/contract/index.ts';
import { LIMITS } from '../../api/limits.ts';
import { duration, wholeNumber } from '../numbers.ts';
import type { CliTools } from '../output.ts';
import { humanDuration } from '../../../shared/duration.ts';

export function describeJob(j: RotationJobView): string {
  const lines = [
    `${j.id}  ${j.state.toUpperCase()}  step ${j.step}/${ROTATION_STEP_COUNT}  ${j.subject}${j.successorId ? ` → ${j.successorId}` : ''}`,
  ];
  for (const e of j.journal.filter((x) => x.phase !== 'begin'))
    lines.push(`  ${e.step}. ${e.name.padEnd(16)} ${e.phase.padEnd(5)} ${e.detail}`);
  if (j.awaitingOperator)
    lines.push(
      `  ${j.message ?? 'waiting for evidence'}`,
      `  the deadline ${j.overlapUntil} passed: certdesk rotate ${j.id} --force-cutoff, or --extend DURATION`,
    );
  else if (j.state === 'waiting' && j.overlapUntil && isPastVerification(j))
    lines.push(
      j.retireOn === 'evidence'
        ? `  removing the old credential once the edge shows the workload switched (quiet ${humanDuration(j.quietSeconds)}), by ${j.overlapUntil} at the latest`
        : `  waiting until ${j.overlapUntil} to remove the old credential (certdesk rotate --resume); ${ROTATION_WAIT.noEvidence}`,
    );
  else if (j.message && j.state !== 'done') lines.push(`  ${j.message}`);
  return `${lines.join('\n')}\n`;
}

function describeSummary(s: BulkRotationSummary): string {
  const head = `Batch ${s.batchId}: ${s.total} due — ${s.done} done, ${s.waiting} waiting, ${s.failed} failed, ${s.cancelled} cancelled, ${s.skipped.length} not started`;
  return [head, ...s.jobs.map(describeJob), ...s.skipped.map((k) => `not started: ${k.subject} — ${k.reason}`)].join('\n') + '\n';
}

export function registerRotateCommands(program: Command, tools: CliTools): void {
  program
    .command('rotate')
    .description(
      'rotate a certificate (or all that are due) as a journaled job: issue, deliver, publish, add and bind, verify with a real token, remove the old credential once the workload switched',
    )
    .argument('[cert]', 'certificate id, hex serial or SHA-256 thumbprint')
    .option('--all-due', 'rotate every certificate that is due or overdue')
    .option('--within <days>', 'with --all-due: also what falls due within DAYS', wholeNumber('within', LIMITS.rotationWithinDays))
    .option('--concurrency <n>', 'with --all-due: jobs at a time (default 4)', wholeNumber('concurrency', LIMITS.rotationConcurrency))
    .option('--same-key', 'keep the key (re-certify) instead of a new one')
    .option(
      '--overlap <duration>',
      'keep both credentials bound this long before removing the old one (90s, 15m, 2h, 1d; default 1d)',
      duration('overlap', LIMITS.overlapSeconds),
    )
    .option(
      '--quiet <duration>',
      'with an edge evidence source: how long the old certificate must go unseen before its credential is removed (0 to 1d; default the profile’s, 15m)',
      duration('quiet', LIMITS.quietSeconds),
    )
    .option('--force-cutoff', 'remove the old credential of CERT’s open rotation (or job CERT) now, without the edge’s evidence')
    .option(
      '--extend <duration>',
      'move the evidence deadline of CERT’s open rotation (or job CERT) this much further',
      duration('extend', LIMITS.extendSeconds),
    )
    .option('--no-verify', 'do not verify with a token call before removing the old credential')
    .option('--confirm <names>', 'the production tenant name(s) involved, typed again (comma-separated)')
    .option('--resume [job]', 'resume interrupted or waiting jobs (all that are due, or one)')
    .option('--cancel <job>', 'cancel a job between steps')
    .option('--cancel-batch <batch>', 'cancel every job of a bulk rotation')
    .action(
      async (
        cert: string | undefined,
        o: {
          allDue?: boolean;
          within?: number;
          concurrency?: number;
          sameKey?: boolean;
          overlap?: number;
          quiet?: number;
          forceCutoff?: boolean;
          extend?: number;
          verify: boolean;
          confirm?: string;
          resume?: string | boolean;
          cancel?: string;
          cancelBatch?: string;
        },
      ) => {
        if (o.cancel !== undefined || o.cancelBatch !== undefined) {
          const jobs = await tools.call('rotation:cancel', o.cancel !== undefined ? { job: o.cancel } : { batch: o.cancelBatch! });
          return tools.print(jobs, () => jobs.map(describeJob).join('\n'));
        }
        if (o.forceCutoff || o.extend !== undefined) {
          if (!cert)
            tools.fail({
              code: 'VALIDATION',
              message: 'Name the certificate (or the job) whose rotation to cut off or extend.',
              field: 'cert',
            });
          if (o.forceCutoff && o.extend !== undefined)
            tools.fail({ code: 'VALIDATION', message: 'Force the cut-off or extend the deadline, not both.', field: 'extend' });
          const job = o.forceCutoff
            ? await tools.call('rotation:force-cutoff', { job: cert, ...(o.confirm !== undefined ? { confirm: o.confirm } : {}) })
            : await tools.call('rotation:extend', { job: cert, seconds: o.extend! });
          tools.print(job, () => describeJob(job));
          if (job.state === 'failed') tools.setExitCode(EXIT_FAILURE);
          return;
        }
        if (o.resume !== undefined) {
          const jobs = await tools.call('rotation:resume', typeof o.resume === 'string' ? { job: o.resume } : {});
          tools.print(jobs, () => (jobs.length ? jobs.map(describeJob).join('\n') : 'No rotation is due to resume.\n'));
          if (jobs.some((j) => j.state === 'failed')) tools.setExitCode(EXIT_FAILURE);
          return;
        }
        const common = {
          ...(o.overlap !== undefined ? { overlapSeconds: o.overlap } : {}),
          ...(o.verify === false ? { verify: false } : {}),
          ...(o.confirm !== undefined ? { confirm: o.confirm } : {}),
        };
        if (o.quiet !== undefined && o.allDue)
          tools.fail({
            code: 'VALIDATION',
            message: '--quiet is for one certificate: a bulk rotation uses each profile’s.',
            field: 'quiet',
          });
        if (o.allDue) {
          if (cert) tools.fail({ code: 'VALIDATION', message: 'Give a certificate or --all-due, not both.', field: 'cert' });
          const input: ChannelInput<'rotation:bulk'> = { ...common };
          if (o.within !== undefined) input.withinDays = o.within;
          if (o.concurrency !== undefined) input.concurrency = o.concurrency;
          const summary = await tools.call('rotation:bulk', input);
          tools.print(summary, () => describeSummary(summary));
          if (summary.failed > 0) tools.setExitCode(EXIT_FAILURE);
          return;
        }
        if (!cert) tools.fail({ code: 'VALIDATION', message: 'Name the certificate to rotate, or use --all-due.', field: 'cert' });
        const job = await tools.call('rotation:start', {
          cert,
          ...(o.sameKey ? { sameKey: true } : {}),
          ...(o.quiet !== undefined ? { quietSeconds: o.quiet } : {}),
          ...common,
        });
        tools.print(job, () => describeJob(job));
        if (job.state === 'failed') tools.setExitCode(EXIT_FAILURE);
        else if (job.state === 'waiting') tools.setExitCode(isPastVerification(job) ? 0 : EXIT_RETRY_LATER);
      },
    );

  program
    .command('rotations')
    .description('list rotation jobs, unfinished first, with their journal')
    .action(async () => {
      const jobs = await tools.call('rotation:list', {});
      tools.print(jobs, () => (jobs.length ? jobs.map(describeJob).join('\n') : 'No rotations yet. Rotate with: certdesk rotate --help\n'));
    });
}
