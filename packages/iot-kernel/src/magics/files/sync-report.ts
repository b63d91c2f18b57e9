import { formatBytes, formatSyncReport, type SyncReport } from '@ide49/device';
import type { MimeBundle } from '../magic';
import { escapeHtml } from './progress';

/** A sync's outcome as text (the library's report) and as an HTML table: one row per change, then the totals. */
export function syncReportBundle(report: SyncReport, local: string, remote: string): MimeBundle {
  const verb = report.dryRun ? 'would be ' : '';
  const rows = [
    ...report.added.map((path) => [`${verb}added`, path]),
    ...report.updated.map((path) => [`${verb}updated`, path]),
    ...report.deleted.map((path) => [`${verb}deleted`, path]),
    ...report.staleTemporaries.map((path) => ['removed stale temporary', path]),
  ];
  const body = rows.map(([change, path]) => `<tr><td>${change}</td><td><code>${escapeHtml(path)}</code></td></tr>`).join('');
  const counts = `${report.added.length} ${verb}added, ${report.updated.length} ${verb}updated, ${report.deleted.length} ${verb}deleted, ${report.unchanged.length} unchanged`;
  const transfer = report.dryRun ? '' : `; ${formatBytes(report.bytesSent)} sent in ${report.seconds.toFixed(2)} s (${formatBytes(report.bytesPerSecond)}/s)`;
  const html = [
    `<table><caption><code>${escapeHtml(local)}</code> → <code>:${escapeHtml(remote)}</code></caption>`,
    '<thead><tr><th>change</th><th>path</th></tr></thead>',
    `<tbody>${body}</tbody>`,
    `<tfoot><tr><td colspan="2">${escapeHtml(counts + transfer)}</td></tr></tfoot></table>`,
  ].join('');
  return { 'text/plain': formatSyncReport(report), 'text/html': html };
}
