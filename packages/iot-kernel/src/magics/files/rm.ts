import { CellError } from '../magic';
import type { KernelMagic } from '../services';
import { boardPath, withBoardFiles } from './board-files';
import { parseOptions } from './options';

const usage = '%rm [-r] :PATH...';

export const rmMagic: KernelMagic = {
  name: 'rm',
  kind: 'line',
  group: 'Files',
  help: 'Remove board files; -r: folders with everything in them.',
  usage,
  async run(context, args) {
    const { flags, positional } = parseOptions(args, { flags: ['-r'] }, usage);
    if (positional.length === 0) throw new CellError('UsageError', `Give one or more board paths. Usage: ${usage}`);
    const paths = positional.map((word) => boardPath(word, usage));
    await withBoardFiles(context, async (files) => {
      for (const path of paths) await files.remove(path, flags.has('-r'));
    });
  },
};
