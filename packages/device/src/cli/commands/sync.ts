import { formatSyncReport, ProgressLine, syncFolder, type SyncReport } from '../../files';
import { UsageError, type CliCommand, type CliContext } from '../command';
import { boardFiles, boardPathArgument, parseFileOptions } from './file-options';

async function runSync(args: string[], context: CliContext, dryRun: boolean): Promise<SyncReport> {
  const { flags, values, positional } = parseFileOptions(args, { flags: ['--delete', '--dry-run', '-v'], values: ['--exclude'] });
  if (positional.length < 1 || positional.length > 2) throw new UsageError('give LOCAL (a host folder) and optionally :REMOTE (default :/)');
  const progress = new ProgressLine(context.stderr);
  try {
    const report = await syncFolder(await boardFiles(context), positional[0], boardPathArgument(positional[1] ?? ':/'), {
      delete: flags.has('--delete'),
      exclude: values.get('--exclude'),
      dryRun: dryRun || flags.has('--dry-run'),
      onProgress: progress.update,
    });
    progress.end();
    context.stdout.write(formatSyncReport(report, flags.has('-v')) + '\n');
    return report;
  } finally {
    progress.end();
  }
}

export const syncCommand: CliCommand = {
  usage: 'LOCAL [:REMOTE] [--delete] [--exclude GLOB]... [--dry-run] [-v]',
  summary: 'make a board folder match a host folder, copying only what differs (sha256)',
  async run(args, context) {
    await runSync(args, context, false);
    return 0;
  },
};

export const diffCommand: CliCommand = {
  usage: 'LOCAL [:REMOTE] [--delete] [--exclude GLOB]... [-v]',
  summary: 'what sync would change (exit code 1 when something differs)',
  async run(args, context) {
    // as diff(1): 1 when something differs, 2 when the comparison failed
    const report = await runSync(args, context, true).catch((error: Error) => {
      throw Object.assign(error, { exitCode: 2 });
    });
    return report.added.length + report.updated.length + report.deleted.length > 0 ? 1 : 0;
  },
};
