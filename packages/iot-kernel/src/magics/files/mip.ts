import { deviceLibrary } from '../../board/device-library';
import { CellError } from '../magic';
import type { KernelMagic } from '../services';
import { withBoardFiles } from './board-files';
import { parseOptions } from './options';
import { CellProgress } from './progress';

const usage = '%mip install PKG[@VERSION]... [--index URL] [--target :DIR] [--mpy|--py]';

export const mipMagic: KernelMagic = {
  name: 'mip',
  kind: 'line',
  group: 'Files',
  // a getter: the device library (and its default index) loads when the help is shown, not at kernel start
  get help() {
    return `Install micropython-lib packages onto the board; this computer downloads them (index ${deviceLibrary().DEFAULT_INDEX}), so boards without a network can install.`;
  },
  usage,
  async run(context, args) {
    const { flags, values, positional } = parseOptions(args, { flags: ['--mpy', '--py'], values: ['--index', '--target'] }, usage);
    if (positional[0] !== 'install' || positional.length < 2) throw new CellError('UsageError', `Usage: ${usage}`);
    if (flags.has('--mpy') && flags.has('--py')) throw new CellError('UsageError', 'Choose one of --mpy and --py.');
    const target = values.get('--target')?.pop();
    const index = values.get('--index')?.pop();
    if (target !== undefined && !target.startsWith(':')) throw new CellError('UsageError', `--target is a board folder and starts with ':' (e.g. --target :/lib). Usage: ${usage}`);
    const { formatBytes, mipInstall } = deviceLibrary();
    await withBoardFiles(context, async (files) => {
      for (const spec of positional.slice(1)) {
        const progress = new CellProgress(context, 'installing');
        const report = await progress.around(
          mipInstall(files, spec, {
            index,
            target,
            format: flags.has('--mpy') ? 'mpy' : flags.has('--py') ? 'py' : undefined,
            onProgress: progress.update,
            // the stop button also ends a download that hangs
            fetch: (url, init) => fetch(url, { ...init, signal: context.signal }),
          }),
        );
        const packages = report.packages.map((p) => `${p.name} ${p.version}`).join(', ');
        context.stdout(`installed ${packages} into :${report.target}: ${report.written.length} files written (${formatBytes(report.bytesSent)}), ${report.unchanged.length} already there\n`);
      }
    });
  },
};
