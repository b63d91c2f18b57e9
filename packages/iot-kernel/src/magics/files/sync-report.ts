import type { SyncReport } from '@ide49/device';
import { deviceLibrary } from '../../board/device-library';
import type { MimeBundle } from '../magic';
import { escapeHtml } from './progress';

/**
 * A sync's outcome as text (the library's report) and as HTML: a table of the counts
 * (added, updated, deleted, unchanged) with bytes sent, time and rate, then one row per
 * change.
 */
export function syncReportBundle(report: SyncReport, local: string, remote: string): MimeBundle {
  const { formatBytes, formatSyncReport } = deviceLibrary();
  const verb = report.dryRun ? 'would be ' : '';
  const totals: Array<[string, string]> = [
    [`${verb}added`, String(report.added.length)],
    [`${verb}updated`, String(report.updated.length)],
    [`${verb}deleted`, String(report.deleted.length)],
    ['unchanged', String(report.unchanged.length)],
    ...(report.dryRun
      ? []
      : ([
          ['sent', formatBytes(report.bytesSent)],
          ['time', `${report.seconds.toFixed(2)} s`],
          ['rate', `${formatBytes(report.bytesPerSecond)}/s`],
        ] as Array<[string, string]>)),
  ];
  const changes = [
    ...report.added.map((path) => [`${verb}added`, path]),
    ...report.updated.map((path) => [`${verb}updated`, path]),
    ...report.deleted.map((path) => [`${verb}deleted`, path]),
    ...report.kept.map((k) => [`kept (${k.why})`, k.path]),
    ...report.staleTemporaries.map((path) => [report.dryRun ? 'would remove stale temporary' : 'removed stale temporary', path]),
  ];
  const html = [
    `<table><caption><code>${escapeHtml(local)}</code> → <code>:${escapeHtml(remote)}</code></caption>`,
    `<thead><tr>${totals.map(([name]) => `<th>${name}</th>`).join('')}</tr></thead>`,
    `<tbody><tr>${totals.map(([, value]) => `<td>${value}</td>`).join('')}</tr></tbody></table>`,
    changes.length ? `<table><tbody>${changes.map(([change, path]) => `<tr><td>${change}</td><td><code>${escapeHtml(path)}</code></td></tr>`).join('')}</tbody></table>` : '',
  ].join('');
  return { 'text/plain': formatSyncReport(report), 'text/html': html };
}
