/**
 * Training speed, defined once for the dashboard, the CLI's progress bar and
 * its epoch line: the samples trained so far in the current epoch over the
 * seconds spent training them (validation, snapshots and earlier epochs
 * excluded), so at an epoch's last batch the bar and the epoch line read the
 * same figure, and the dashboard with them.
 */

/** Samples per second: `samples` trained in `seconds` (0 before any time has passed). */
export function samplesPerSecond(samples: number, seconds: number): number {
  return seconds > 0 ? samples / seconds : 0;
}

/** "12,345 samples/s", or three significant figures below 100 ("45.7 samples/s"), everywhere a speed is shown. */
export function formatSamplesPerSec(rate: number): string {
  const figure = rate >= 100 ? Math.round(rate).toLocaleString('en-US') : rate.toPrecision(3);
  return `${figure} samples/s`;
}
