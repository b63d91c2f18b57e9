import { createInterface } from 'node:readline';
import type { DeviceSession } from '../session/device-session';
import type { CliContext } from './command';

/**
 * Runs code with output streaming to the terminal, input() answered from stdin (when
 * the code mentions input: the bridge is installed only then), and
 * Ctrl-C forwarded to the board (twice: give up). Exit code 1 when the code raised.
 */
export async function runCodeOnTerminal(session: DeviceSession, code: string, context: CliContext): Promise<number> {
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    session.interrupt();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await session.exec(code, {
      onStdout: (text) => context.stdout.write(text),
      onStderr: (text) => context.stderr.write(text),
      // Installing the input() bridge costs a run; skip it for code that never says input.
      onInput: /\binput\b/.test(code) ? () => readLine(context) : undefined,
    });
    return result.exception ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function readLine(context: CliContext): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: context.stdin, terminal: false });
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once('close', () => {
      if (!answered) resolve('');
    });
  });
}
