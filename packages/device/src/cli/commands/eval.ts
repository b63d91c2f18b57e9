import { BoardError } from '../../repl/types';
import { UsageError, type CliCommand } from '../command';

export const evalCommand: CliCommand = {
  usage: 'EXPR',
  summary: "print an expression's value: JSON when the board's json module can encode it, else its repr",
  async run(args, context) {
    if (args.length !== 1) throw new UsageError('eval takes one argument: the expression (quote it)');
    const session = await context.connect();
    try {
      const value = await session.eval(args[0]);
      context.stdout.write((typeof value === 'string' ? value : JSON.stringify(value)) + '\n');
      return 0;
    } catch (error) {
      if (!(error instanceof BoardError)) throw error;
      context.stderr.write(error.exception.traceback.join('\n') + '\n');
      return 1;
    }
  },
};
