import { normaliseBoardPath } from '../../files';
import { UsageError, type CliCommand } from '../command';
import { boardFiles, boardPathArgument, parseFileOptions } from './file-options';

export const rmCommand: CliCommand = {
  usage: '[-r] [--all] :PATH...',
  summary: "remove board files (-r: folders with their contents; the board's root only with --all)",
  async run(args, context) {
    const { flags, positional } = parseFileOptions(args, { flags: ['-r', '--all'] });
    if (positional.length === 0) throw new UsageError('rm needs one or more board paths (:path)');
    const paths = positional.map((arg) => normaliseBoardPath(boardPathArgument(arg)));
    // ":$DIR" with DIR unset, ":" or ":lib/.." all mean the whole board
    const root = positional.find((_, i) => paths[i] === '/');
    if (root !== undefined && !flags.has('--all')) throw new UsageError(`${JSON.stringify(root)} is the whole board; to empty it, say rm -r --all :/`);
    const files = await boardFiles(context);
    for (const path of paths) await files.remove(path, flags.has('-r'));
    return 0;
  },
};
