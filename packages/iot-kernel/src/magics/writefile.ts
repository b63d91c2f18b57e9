import { existsSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { splitArgs } from './args';
import { CellError } from './magic';
import type { KernelMagic } from './services';

const usage = '%%writefile [-a] PATH';

export const writefileMagic: KernelMagic = {
  name: 'writefile',
  kind: 'cell',
  group: 'Host',
  help: 'Write the cell body to a file on the host (relative to the notebook folder); -a appends.',
  usage,
  async run(context, args, body) {
    const words = splitArgs(args);
    const append = words[0] === '-a';
    const paths = append ? words.slice(1) : words;
    if (paths.length !== 1) throw new CellError('UsageError', `Expected one path. Usage: ${usage}`);
    const path = resolve(context.cwd, paths[0]);
    const verb = append ? 'Appending to' : existsSync(path) ? 'Overwriting' : 'Writing';
    const text = body.endsWith('\n') || body === '' ? body : `${body}\n`;
    try {
      await (append ? appendFile(path, text) : writeFile(path, text));
    } catch (error) {
      throw new CellError('OSError', `Cannot write ${path}: ${(error as Error).message}`);
    }
    context.stdout(`${verb} ${paths[0]}\n`);
  },
};
