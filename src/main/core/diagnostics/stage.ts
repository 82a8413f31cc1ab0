/** Building blocks for one stage of the flight check: its title, its outcome and its timing. */
import {
  DIAGNOSTIC_STAGE_TITLES,
  type DiagnosticEvidence,
  type DiagnosticStage,
  type DiagnosticStageId,
} from '../../../shared/contract/index.ts';

export const STAGE_TITLES = DIAGNOSTIC_STAGE_TITLES;

/** A stage's result before it is named and timed. */
export type StageOutcome = Omit<DiagnosticStage, 'id' | 'title' | 'ms'>;

export function evidence(label: string, value: string | number | boolean): DiagnosticEvidence {
  return { label, value: String(value) };
}

export function pass(items: DiagnosticEvidence[]): StageOutcome {
  return { status: 'pass', evidence: items };
}

export function fail(code: string, cause: string, fix: string, items: DiagnosticEvidence[] = []): StageOutcome {
  return { status: 'fail', evidence: items, code, cause, fix };
}

export function skip(code: string, cause: string, fix: string, items: DiagnosticEvidence[] = []): StageOutcome {
  return { status: 'skip', evidence: items, code, cause, fix };
}

function toStage(id: DiagnosticStageId, outcome: StageOutcome, ms: number, curl: string | undefined): DiagnosticStage {
  const stage: DiagnosticStage = { id, title: STAGE_TITLES[id], status: outcome.status, ms, evidence: outcome.evidence };
  if (outcome.code !== undefined) stage.code = outcome.code;
  if (outcome.cause !== undefined) stage.cause = outcome.cause;
  if (outcome.fix !== undefined) stage.fix = outcome.fix;
  if (curl !== undefined) stage.curl = curl;
  return stage;
}

/** Runs one stage, timed by the injected clock; `value` is what later stages need from it. */
export async function runStage<T>(
  id: DiagnosticStageId,
  now: () => number,
  curl: string | undefined,
  run: () => Promise<{ outcome: StageOutcome; value: T }>,
): Promise<{ stage: DiagnosticStage; value: T }> {
  const started = now();
  const { outcome, value } = await run();
  return { stage: toStage(id, outcome, Math.max(0, now() - started), curl), value };
}

/** A stage that could not run because an earlier one failed or an input is missing. */
export function skippedStage(id: DiagnosticStageId, code: string, cause: string, fix: string, curl?: string): DiagnosticStage {
  return toStage(id, skip(code, cause, fix), 0, curl);
}
