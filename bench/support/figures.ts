/**
 * What the benchmarks compute their figures from: percentiles of samples, and the one JSON line per
 * invocation that the functions log (`server/shared/log.ts`), picked out of the local cloud's output.
 */

/** The p-th percentile of already sorted samples (the sample at ⌊n·p/100⌋); NaN when there are none. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

/** The median (the upper one of an even count), as `percentile(…, 50)` of the sorted samples. */
export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/**
 * The log lines that begin with `opening` (e.g. `{"action":"book"`), parsed. A line the pipe cut in two
 * is not counted.
 */
export function logLines<T>(output: string, opening: string): T[] {
  const lines: T[] = [];
  for (const line of output.split('\n')) {
    const start = line.indexOf(opening);
    if (start < 0) continue;
    try {
      lines.push(JSON.parse(line.slice(start)) as T);
    } catch {
      // a line cut by the pipe
    }
  }
  return lines;
}
