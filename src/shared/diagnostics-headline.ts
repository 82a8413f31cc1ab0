/**
 * The one line a flight check's result is read by, the same in the app and the CLI. "All stages
 * passed" only when every stage ran and passed: a skipped stage checked nothing, so it is counted
 * and named instead.
 */
export function diagnosticsHeadline(report: { stages: readonly { status: 'pass' | 'fail' | 'skip' }[] }): string {
  const failed = report.stages.filter((s) => s.status === 'fail').length;
  const skipped = report.stages.filter((s) => s.status === 'skip').length;
  const passed = report.stages.length - failed - skipped;
  if (failed > 0) return `${failed} ${failed === 1 ? 'stage' : 'stages'} failed`;
  if (skipped === 0) return 'All stages passed';
  return `${passed} of ${report.stages.length} stages passed, ${skipped} skipped`;
}
