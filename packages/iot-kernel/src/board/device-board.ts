import type { BoardException, DeviceSession } from '@ide49/device';
import { CellError, type CellContext, type MimeBundle } from '../magics/magic';
import type { KernelServices } from '../magics/services';
import { NO_BOARD_MESSAGE, type BoardSession, type Completion } from './session';

/**
 * A board reached through @ide49/device (serial port, pty or the in-process virtual
 * board): board cells run through its raw REPL with live output, input() and the stop
 * button; completion and help come from dir() and docstrings on the board.
 */
export class DeviceBoardSession implements BoardSession {
  constructor(
    readonly device: DeviceSession,
    /** The board's MicroPython version (e.g. "1.27.0"), from its identity. */
    readonly micropythonVersion?: string,
  ) {}

  get name(): string {
    return this.device.url;
  }

  async exec(code: string, context: CellContext): Promise<MimeBundle | void> {
    const result = await this.device.exec(code, {
      onStdout: (text) => context.stdout(text),
      onInput: (prompt) => context.input(prompt),
      signal: context.signal,
    });
    if (result.exception) throw boardCellError(result.exception);
  }

  async complete(code: string, cursor: number): Promise<Completion> {
    const { name, start } = dottedNameBefore(code, cursor);
    return { matches: await this.device.completions(name), start, end: cursor };
  }

  async inspect(code: string, cursor: number): Promise<MimeBundle | undefined> {
    const name = dottedNameAround(code, cursor);
    const text = name ? await this.device.inspect(name) : '';
    return text ? { 'text/plain': text } : undefined;
  }

  close(): Promise<void> {
    return this.device.close();
  }
}

/** The connected board's device session, for magics that work on the board (files, resets, info). */
export function requireDevice(services: KernelServices): DeviceSession {
  const session = services.board.current;
  if (session instanceof DeviceBoardSession) return session.device;
  throw new CellError('NoBoardError', NO_BOARD_MESSAGE);
}

/** A MicroPython exception as a Jupyter error carrying the board's traceback. */
export function boardCellError(exception: BoardException): CellError {
  return new CellError(exception.type, exception.message, exception.traceback);
}

const NAME_CHAR = /[\w.]/;

/** The dotted name that ends at `cursor`, e.g. "machine.Pi" in "x = machine.Pi|". */
function dottedNameBefore(code: string, cursor: number): { name: string; start: number } {
  let start = cursor;
  while (start > 0 && NAME_CHAR.test(code[start - 1])) start--;
  return { name: code.slice(start, cursor), start };
}

/** The dotted name the cursor is in or just after (a trailing "(" is skipped, as in `print(|`). */
function dottedNameAround(code: string, cursor: number): string {
  let end = cursor;
  while (end < code.length && /\w/.test(code[end])) end++;
  if (end === cursor && code[end - 1] === '(') end--;
  return dottedNameBefore(code, end).name.replace(/\.$/, '');
}
