import { formatListing, normaliseBoardPath } from '../../files';
import type { CliCommand } from '../command';
import { boardFiles, boardPathArgument, parseFileOptions } from './file-options';

export const lsCommand: CliCommand = {
  usage: '[-r] [:PATH]',
  summary: 'list a board folder (-r: the whole tree) with sizes',
  async run(args, context) {
    const { flags, positional } = parseFileOptions(args, { flags: ['-r'] });
    const files = await boardFiles(context);
    for (const arg of positional.length ? positional : [':/']) {
      const boardPath = normaliseBoardPath(boardPathArgument(arg));
      // a file lists as itself (its relative path is '')
      const entries = (await files.list(boardPath, flags.has('-r'))).map((e) => (e.path ? e : { ...e, path: boardPath }));
      if (entries.length) context.stdout.write(formatListing(entries) + '\n');
    }
    return 0;
  },
};
