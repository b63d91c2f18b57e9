import type { BoardEntry } from './board-files';
import type { TransferProgress } from './progress';
import type { SyncReport } from './sync';

/** `ls` output: size column, then the path; folders end with '/'. */
export function formatListing(entries: BoardEntry[]): string {
  return entries.map((e) => (e.isDir ? `${''.padStart(10)} ${e.path}/` : `${String(e.size).padStart(10)} ${e.path}`)).join('\n');
}

/** One line per change, then totals: what a sync (or diff) did. */
export function formatSyncReport(report: SyncReport, verbose = false): string {
  const verb = report.dryRun ? 'would be ' : '';
  const lines = [
    ...report.added.map((p) => `added     ${p}`),
    ...report.updated.map((p) => `updated   ${p}`),
    ...report.deleted.map((p) => `deleted   ${p}`),
    ...report.kept.map((k) => `kept      ${k.path} (${k.why})`),
    ...(verbose ? report.unchanged.map((p) => `unchanged ${p}`) : []),
    ...report.staleTemporaries.map((p) => `${report.dryRun ? 'would remove' : 'removed'} stale temporary ${p}`),
  ];
  const counts = `${report.added.length} ${verb}added, ${report.updated.length} ${verb}updated, ${report.deleted.length} ${verb}deleted, ${report.unchanged.length} unchanged`;
  const transfer = report.dryRun ? '' : `; ${formatBytes(report.bytesSent)} sent in ${report.seconds.toFixed(2)} s (${formatBytes(report.bytesPerSecond)}/s)`;
  lines.push(counts + transfer);
  return lines.join('\n');
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/**
 * A progress line on a terminal (rewritten in place), shown only for transfers that last
 * longer than `delayMs`, so quick commands print nothing extra.
 */
export class ProgressLine {
  private readonly started = performance.now();
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly delayMs = 1000,
  ) {}

  readonly update = (p: TransferProgress): void => {
    const elapsed = performance.now() - this.started;
    if (!this.stream.isTTY || elapsed < this.delayMs) return;
    const percent = p.bytesTotal ? Math.floor((100 * p.bytesDone) / p.bytesTotal) : 100;
    const rate = formatBytes(p.bytesDone / (elapsed / 1000));
    const line = `${percent}% ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)} ${rate}/s ${p.file}`;
    this.stream.write(`\r${line.slice(0, (this.stream.columns || 80) - 1)}\x1b[K`);
    this.shown = true;
  };

  end(): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
