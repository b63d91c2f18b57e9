import { parseFlags, UsageError, type CliCommand } from '../command';

export const resetCommand: CliCommand = {
  usage: '[--soft|--hard]',
  summary: 'soft reset (default: restart the interpreter, runs boot.py) or hard reset (machine.reset(), runs main.py); prints the boot output',
  async run(args, context) {
    const { flags, positional } = parseFlags(args, ['--soft', '--hard']);
    if (positional.length > 0 || (flags.has('--soft') && flags.has('--hard'))) throw new UsageError('reset takes --soft or --hard');
    const session = await context.connect();
    const boot = flags.has('--hard') ? await session.hardReset() : await session.softReset();
    if (boot.trim()) context.stdout.write(boot.endsWith('\n') ? boot : boot + '\n');
    return 0;
  },
};
