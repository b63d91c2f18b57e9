import { normaliseBoardPath } from '../../files';
import { UsageError, type CliCommand } from '../command';
import { boardFiles, boardPathArgument, parseFileOptions } from './file-options';

export const catCommand: CliCommand = {
  usage: ':PATH...',
  summary: 'print board files (bytes as they are)',
  async run(args, context) {
    const { positional } = parseFileOptions(args, {});
    if (positional.length === 0) throw new UsageError('cat needs one or more board files (:path)');
    const files = await boardFiles(context);
    for (const arg of positional) context.stdout.write(await files.read(normaliseBoardPath(boardPathArgument(arg))));
    return 0;
  },
};
