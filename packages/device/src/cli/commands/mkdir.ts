import { normaliseBoardPath } from '../../files';
import { UsageError, type CliCommand } from '../command';
import { boardFiles, boardPathArgument, parseFileOptions } from './file-options';

export const mkdirCommand: CliCommand = {
  usage: ':PATH...',
  summary: 'create board folders (and missing parents)',
  async run(args, context) {
    const { positional } = parseFileOptions(args, {}); // missing parents are always made: no -p
    if (positional.length === 0) throw new UsageError('mkdir needs one or more board paths (:path)');
    const files = await boardFiles(context);
    await files.mkdirs('/', positional.map((arg) => normaliseBoardPath(boardPathArgument(arg)).slice(1)));
    return 0;
  },
};
