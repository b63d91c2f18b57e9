import { CellError } from '../magic';
import type { KernelMagic } from '../services';
import { boardPath, withBoardFiles } from './board-files';
import { parseOptions } from './options';

const usage = '%rm [-r] [--all] :PATH...';

export const rmMagic: KernelMagic = {
  name: 'rm',
  kind: 'line',
  group: 'Files',
  help: "Remove board files; -r: folders with everything in them; the board's root only with --all.",
  usage,
  async run(context, args) {
    const { flags, positional } = parseOptions(args, { flags: ['-r', '--all'] }, usage);
    if (positional.length === 0) throw new CellError('UsageError', `Give one or more board paths. Usage: ${usage}`);
    const paths = positional.map((word) => boardPath(word, usage));
    const root = positional.find((_, i) => paths[i] === '/');
    if (root !== undefined && !flags.has('--all')) throw new CellError('UsageError', `${root} is the whole board; to empty it, say %rm -r --all :/`);
    await withBoardFiles(context, async (files) => {
      for (const path of paths) await files.remove(path, flags.has('-r'));
    });
  },
};
