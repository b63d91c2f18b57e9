import { DEFAULT_INDEX, formatBytes, mipInstall, ProgressLine } from '../../files';
import { UsageError, type CliCommand } from '../command';
import { boardFiles, parseFileOptions } from './file-options';

export const mipCommand: CliCommand = {
  usage: 'install PKG[@VERSION]... [--index URL] [--target :DIR] [--mpy|--py]',
  summary: `install micropython-lib packages, downloaded by this computer (index ${DEFAULT_INDEX})`,
  async run(args, context) {
    const { flags, values, positional } = parseFileOptions(args, { flags: ['--mpy', '--py'], values: ['--index', '--target'] });
    if (positional[0] !== 'install' || positional.length < 2) throw new UsageError('usage: mip install PKG[@VERSION]...');
    if (flags.has('--mpy') && flags.has('--py')) throw new UsageError('choose one of --mpy and --py');
    const index = values.get('--index')?.pop();
    const target = values.get('--target')?.pop();
    const files = await boardFiles(context);
    for (const spec of positional.slice(1)) {
      const progress = new ProgressLine(context.stderr);
      try {
        const report = await mipInstall(files, spec, {
          index,
          target,
          format: flags.has('--mpy') ? 'mpy' : flags.has('--py') ? 'py' : undefined,
          onProgress: progress.update,
        });
        progress.end();
        const packages = report.packages.map((p) => `${p.name} ${p.version}`).join(', ');
        context.stdout.write(
          `installed ${packages} into :${report.target}: ${report.written.length} files written (${formatBytes(report.bytesSent)}), ${report.unchanged.length} already there\n`,
        );
      } finally {
        progress.end();
      }
    }
    return 0;
  },
};
