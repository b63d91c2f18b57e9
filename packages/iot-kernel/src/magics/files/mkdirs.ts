import { CellError } from '../magic';
import type { KernelMagic } from '../services';
import { boardPath, withBoardFiles } from './board-files';
import { parseOptions } from './options';

const usage = '%mkdirs :PATH...';

export const mkdirsMagic: KernelMagic = {
  name: 'mkdirs',
  kind: 'line',
  group: 'Files',
  help: 'Create board folders with their missing parents (existing ones are fine).',
  usage,
  async run(context, args) {
    const { positional } = parseOptions(args, {}, usage);
    if (positional.length === 0) throw new CellError('UsageError', `Give one or more board folders. Usage: ${usage}`);
    const folders = positional.map((word) => boardPath(word, usage).slice(1));
    await withBoardFiles(context, (files) => files.mkdirs('/', folders));
  },
};
