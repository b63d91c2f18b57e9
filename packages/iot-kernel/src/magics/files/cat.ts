import { CellError } from '../magic';
import type { KernelMagic } from '../services';
import { boardPath, LIST_HINT, withBoardFiles } from './board-files';
import { parseOptions } from './options';
import { CellProgress } from './progress';

const usage = '%cat :PATH';

export const catMagic: KernelMagic = {
  name: 'cat',
  kind: 'line',
  group: 'Files',
  help: 'Show a board file as text (UTF-8; binary files are named, not shown).',
  usage,
  async run(context, args) {
    const words = parseOptions(args, {}, usage).positional;
    if (words.length !== 1) throw new CellError('UsageError', `Give one board file. Usage: ${usage}`);
    const path = boardPath(words[0], usage);
    const data = await withBoardFiles(context, async (files) => {
      const stat = await files.stat(path);
      if (!stat) throw new CellError('FileNotFoundError', `No file :${path} on the board. ${LIST_HINT}`);
      if (stat.isDir) throw new CellError('IsADirectoryError', `:${path} is a folder; %rlist :${path} lists it.`);
      const progress = new CellProgress(context, 'reading');
      const content = await progress.around(files.read(path, progress.update, stat.size));
      return content;
    });
    const text = utf8Text(data);
    if (text === undefined) context.stderr(`:${path} is not UTF-8 text (${data.length} bytes); %cp :${path} FILE copies it to the host as it is.\n`);
    else context.stdout(text);
  },
};

function utf8Text(data: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return undefined;
  }
}
