import { normaliseBoardPath } from '../../files';
import type { CliCommand } from '../command';
import { boardFiles, boardPathArgument } from './file-options';

export const cleanupCommand: CliCommand = {
  usage: '[:PATH]',
  summary: 'remove temporary files that interrupted transfers left (sync does it too)',
  async run(args, context) {
    const files = await boardFiles(context);
    const removed = await files.cleanup(normaliseBoardPath(boardPathArgument(args[0] ?? ':/')));
    for (const rel of removed) context.stdout.write(`removed ${rel}\n`);
    return 0;
  },
};
