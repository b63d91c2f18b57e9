import { copyFiles, formatBytes, ProgressLine } from '../../files';
import { UsageError, type CliCommand } from '../command';
import { boardFiles, parseFileOptions } from './file-options';

export const cpCommand: CliCommand = {
  usage: '[-r] SRC... DST',
  summary: 'copy between host and board (:path = on the board); writes are verified by sha256',
  async run(args, context) {
    const { flags, positional } = parseFileOptions(args, { flags: ['-r'] });
    if (positional.length < 2) throw new UsageError('cp needs a source and a destination, one of them on the board (:path)');
    const progress = new ProgressLine(context.stderr);
    try {
      const report = await copyFiles(await boardFiles(context), positional.slice(0, -1), positional[positional.length - 1], {
        recursive: flags.has('-r'),
        onProgress: progress.update,
      });
      progress.end();
      if (report.seconds > 1) context.stderr.write(`${report.written.length} file(s), ${formatBytes(report.bytes)} in ${report.seconds.toFixed(2)} s (${formatBytes(report.bytes / report.seconds)}/s)\n`);
    } finally {
      progress.end();
    }
    return 0;
  },
};
