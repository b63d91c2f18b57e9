import { createInterface } from 'node:readline';
import type { DeviceSession } from '../session/device-session';
import type { CliContext } from './command';

/**
 * Runs code with output streaming to the terminal, input() answered from stdin (when
 * the code mentions input: the bridge is installed only then), and the stop (Ctrl-C,
 * main's signal) forwarded to the board. Exit code 1 when the code raised.
 */
export async function runCodeOnTerminal(session: DeviceSession, code: string, context: CliContext): Promise<number> {
  const lines = /\binput\b/.test(code) ? new StdinLines(context.stdin) : undefined;
  try {
    const result = await session.exec(code, {
      onStdout: (text) => context.stdout.write(text),
      onStderr: (text) => context.stderr.write(text),
      // Installing the input() bridge costs a run; skip it for code that never says input.
      onInput: lines && (() => lines.next()),
      signal: context.signal,
    });
    return result.exception ? 1 : 0;
  } finally {
    lines?.close();
  }
}

/** Lines of stdin, one per input() (one reader for the whole run: a pipe's lines are not lost between calls); '' once it ended. */
class StdinLines {
  private readonly queued: string[] = [];
  private readonly waiting: Array<(line: string) => void> = [];
  private ended = false;
  private readonly reader;

  constructor(stdin: NodeJS.ReadStream) {
    this.reader = createInterface({ input: stdin, terminal: false });
    this.reader.on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.queued.push(line);
    });
    this.reader.on('close', () => {
      this.ended = true;
      for (const waiter of this.waiting.splice(0)) waiter('');
    });
  }

  next(): Promise<string> {
    if (this.queued.length > 0) return Promise.resolve(this.queued.shift()!);
    if (this.ended) return Promise.resolve('');
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    this.reader.close();
  }
}
