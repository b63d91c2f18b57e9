import { formatListing, normaliseBoardPath } from '../../files';
import type { CliCommand } from '../command';
import { boardFiles, boardPathArgument, parseFileOptions } from './file-options';

export const lsCommand: CliCommand = {
  name: 'ls',
  usage: '[-r] [:PATH]',
  summary: 'list a board folder (-r: the whole tree) with sizes',
  async run(args, context) {
    const { flags, positional } = parseFileOptions(args, { flags: ['-r'] });
    const files = await boardFiles(context);
    for (const arg of positional.length ? positional : [':/']) {
      const entries = await files.list(normaliseBoardPath(boardPathArgument(arg)), flags.has('-r'));
      if (entries.length) context.stdout.write(formatListing(entries) + '\n');
    }
    return 0;
  },
};
