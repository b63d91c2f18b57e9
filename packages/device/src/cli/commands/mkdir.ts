import { normaliseBoardPath } from '../../files';
import { UsageError, type CliCommand } from '../command';
import { boardFiles, boardPathArgument } from './file-options';

export const mkdirCommand: CliCommand = {
  usage: ':PATH...',
  summary: 'create board folders (and missing parents)',
  async run(args, context) {
    if (args.length === 0) throw new UsageError('mkdir needs one or more board paths (:path)');
    const files = await boardFiles(context);
    await files.mkdirs('/', args.map((arg) => normaliseBoardPath(boardPathArgument(arg)).slice(1)));
    return 0;
  },
};
