import type { SyncReport } from '@ide49/device';
import { deviceLibrary } from '../../board/device-library';
import { CellError } from '../magic';
import { boardPath, hostPath, withBoardFiles, type FileMagicContext } from './board-files';
import { parseOptions } from './options';
import { CellProgress } from './progress';
import { syncReportBundle } from './sync-report';

/**
 * %rsync and %rdiff: one exec compares the whole tree by hash on the board; rsync then
 * copies what differs (and deletes with --delete), rdiff only reports. Both end with the
 * report table in the cell.
 */
export async function runSync(context: FileMagicContext, args: string, usage: string, dryRun: boolean): Promise<SyncReport> {
  const { flags, values, positional } = parseOptions(args, { flags: dryRun ? ['--delete'] : ['--delete', '--dry-run'], values: ['--exclude'] }, usage);
  if (positional.length < 1 || positional.length > 2) throw new CellError('UsageError', `Give a host folder and optionally a board folder (default :/). Usage: ${usage}`);
  const local = hostPath(context, positional[0]);
  const remote = boardPath(positional[1] ?? ':/', usage);
  const progress = new CellProgress(context, 'syncing');
  const report = await progress.around(
    withBoardFiles(context, (files) =>
      deviceLibrary().syncFolder(files, local, remote, {
        delete: flags.has('--delete'),
        exclude: values.get('--exclude'),
        dryRun: dryRun || flags.has('--dry-run'),
        onProgress: progress.update,
      }),
    ),
  );
  context.display(syncReportBundle(report, positional[0], remote));
  return report;
}
