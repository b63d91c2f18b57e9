import { deviceLibrary } from '../../board/device-library';
import { CellError } from '../magic';
import type { KernelMagic } from '../services';
import { locationWord, withBoardFiles } from './board-files';
import { parseOptions } from './options';
import { CellProgress } from './progress';

const usage = '%cp [-r] SRC... DST';

export const cpMagic: KernelMagic = {
  name: 'cp',
  kind: 'line',
  group: 'Files',
  help: 'Copy files between the host and the board (:PATH is on the board), either way, binary-safe; -r: folders too.',
  usage,
  async run(context, args) {
    const { flags, positional } = parseOptions(args, { flags: ['-r'] }, usage);
    if (positional.length < 2) throw new CellError('UsageError', `Give one or more sources and a destination, one side on the board (:PATH). Usage: ${usage}`);
    const words = positional.map((word) => locationWord(context, word));
    const { copyFiles, formatBytes } = deviceLibrary();
    const progress = new CellProgress(context, 'copying');
    const report = await progress.around(withBoardFiles(context, (files) => copyFiles(files, words.slice(0, -1), words[words.length - 1], { recursive: flags.has('-r'), onProgress: progress.update })));
    const count = `${report.written.length} file${report.written.length === 1 ? '' : 's'}`;
    context.stdout(`copied ${count}, ${formatBytes(report.bytes)} in ${report.seconds.toFixed(2)} s (${formatBytes(report.bytes / Math.max(report.seconds, 1e-3))}/s)\n`);
  },
};
