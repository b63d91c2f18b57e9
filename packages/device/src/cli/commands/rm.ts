import { normaliseBoardPath } from '../../files';
import { UsageError, type CliCommand } from '../command';
import { boardFiles, boardPathArgument, parseFileOptions } from './file-options';

export const rmCommand: CliCommand = {
  usage: '[-r] :PATH...',
  summary: 'remove board files (-r: folders with their contents)',
  async run(args, context) {
    const { flags, positional } = parseFileOptions(args, { flags: ['-r'] });
    if (positional.length === 0) throw new UsageError('rm needs one or more board paths (:path)');
    const files = await boardFiles(context);
    for (const arg of positional) await files.remove(normaliseBoardPath(boardPathArgument(arg)), flags.has('-r'));
    return 0;
  },
};
