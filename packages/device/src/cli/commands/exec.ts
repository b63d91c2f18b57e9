import { UsageError, type CliCommand } from '../command';
import { runCodeOnTerminal } from '../run-code';

export const execCommand: CliCommand = {
  usage: 'CODE',
  summary: 'run Python code on the board; output streams live, a traceback goes to stderr (exit 1)',
  async run(args, context) {
    if (args.length !== 1) throw new UsageError('exec takes one argument: the code (quote it)');
    return runCodeOnTerminal(await context.connect(), args[0], context);
  },
};
