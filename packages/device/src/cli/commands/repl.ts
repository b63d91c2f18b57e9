import { parseFlags, UsageError, type CliCommand } from '../command';

const CTRL_RIGHT_BRACKET = 0x1d;

export const replCommand: CliCommand = {
  usage: '[-i]',
  summary: "the board's terminal in this one (Ctrl-] leaves); what runs on it keeps running (a serial monitor) unless -i stops it for the >>> prompt",
  async run(args, context) {
    const { flags, positional } = parseFlags(args, ['-i']);
    if (positional.length > 0) throw new UsageError('repl takes only -i');
    const session = await context.connect();
    if (flags.has('-i')) await session.repl.enterFriendly();
    context.stderr.write(`connected to ${session.url}; Ctrl-] to leave, Ctrl-C stops the board's program, Enter shows its prompt\n`);
    if (flags.has('-i')) context.stdout.write('>>> ');
    const stdin = context.stdin;
    return new Promise<number>((resolve) => {
      const stopPassthrough = session.repl.passthrough((chunk) => context.stdout.write(chunk));
      const finish = (code: number) => {
        stdin.off('data', onKeys);
        offGone();
        stopPassthrough();
        if (stdin.isTTY) stdin.setRawMode(false);
        stdin.destroy(); // a paused pipe would keep the process alive
        resolve(code);
      };
      const onKeys = (keys: Buffer) => {
        const exitAt = keys.indexOf(CTRL_RIGHT_BRACKET);
        const forward = exitAt < 0 ? keys : keys.subarray(0, exitAt);
        if (forward.length > 0) void session.link.write(forward).catch(() => finish(1));
        if (exitAt >= 0) finish(0);
      };
      const offGone = session.link.onGone((error) => {
        context.stderr.write(`\n${error.message}\n`);
        finish(1);
      });
      if (stdin.isTTY) stdin.setRawMode(true);
      stdin.on('data', onKeys);
      stdin.once('end', () => finish(0));
      stdin.resume();
    });
  },
};
