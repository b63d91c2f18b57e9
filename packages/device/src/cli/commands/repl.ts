import { UsageError, type CliCommand } from '../command';

const CTRL_RIGHT_BRACKET = 0x1d;

export const replCommand: CliCommand = {
  usage: '',
  summary: "the board's interactive REPL in this terminal (Ctrl-] leaves)",
  async run(args, context) {
    if (args.length > 0) throw new UsageError('repl takes no arguments');
    const session = await context.connect();
    await session.repl.enterFriendly();
    context.stderr.write(`connected to ${session.url}; Ctrl-] to leave\n`);
    context.stdout.write('>>> ');
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
