/**
 * A span of seconds as an operator reads it: "1 day", "2 hours 30 min", "45 s". Whole units only,
 * the two largest that are not zero, so 86400 never reads "86400 s".
 */
export function humanDuration(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds < 0) return `${totalSeconds} s`;
  const seconds = Math.round(totalSeconds);
  if (seconds === 0) return '0 s';
  const units: [number, string, string][] = [
    [86_400, 'day', 'days'],
    [3_600, 'hour', 'hours'],
    [60, 'min', 'min'],
    [1, 's', 's'],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, one, many] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${count === 1 ? one : many}`);
    else if (parts.length > 0) break;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
