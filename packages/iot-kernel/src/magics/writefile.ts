import { existsSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { splitArgs } from './args';
import { boardPath, hostPath, withBoardFiles } from './files/board-files';
import { CellError } from './magic';
import type { KernelMagic } from './services';

const usage = '%%writefile [-a] PATH  |  %%writefile -r :PATH';

export const writefileMagic: KernelMagic = {
  name: 'writefile',
  kind: 'cell',
  group: 'Files',
  help: 'Write the cell body to a host file (relative to the notebook folder; -a appends), or with -r to a board file.',
  usage,
  async run(context, args, body) {
    const words = splitArgs(args);
    const flags = new Set<string>(words.filter((word) => word === '-a' || word === '-r'));
    const paths = words.filter((word) => !flags.has(word));
    if (paths.length !== 1) throw new CellError('UsageError', `Expected one path. Usage: ${usage}`);
    const text = body.endsWith('\n') || body === '' ? body : `${body}\n`;
    if (flags.has('-r')) {
      if (flags.has('-a')) throw new CellError('UsageError', `-a appends to host files only; the board file is written whole. Usage: ${usage}`);
      const path = boardPath(paths[0], usage);
      await withBoardFiles(context, (files) => files.writeFile(path, text));
      context.stdout(`Wrote :${path} on the board\n`);
      return;
    }
    const path = hostPath(context, paths[0]);
    const verb = flags.has('-a') ? 'Appending to' : existsSync(path) ? 'Overwriting' : 'Writing';
    try {
      await (flags.has('-a') ? appendFile(path, text) : writeFile(path, text));
    } catch (error) {
      throw new CellError('OSError', `Cannot write ${path}: ${(error as Error).message}`);
    }
    context.stdout(`${verb} ${paths[0]}\n`);
  },
};
