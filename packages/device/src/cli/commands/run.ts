import { readFileSync } from 'node:fs';
import { UsageError, type CliCommand } from '../command';
import { runCodeOnTerminal } from '../run-code';

export const runCommand: CliCommand = {
  usage: 'FILE',
  summary: 'run a local Python file on the board (it is not copied to the board)',
  async run(args, context) {
    if (args.length !== 1) throw new UsageError('run takes one argument: the file');
    const code = readFileSync(args[0], 'utf8');
    return runCodeOnTerminal(await context.connect(), code, context);
  },
};
