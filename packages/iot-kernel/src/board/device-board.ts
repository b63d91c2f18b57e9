import type { BoardIdentity, DeviceRegistry, DeviceSession } from '@ide49/device';
import { lastExpression, withValueShown } from '../cell/last-expression';
import { pathMatches, splitPath } from '../completion';
import type { Logger } from '../log';
import { CellError, type CellContext, type MimeBundle } from '../magics/magic';
import type { KernelServices } from '../magics/services';
import { deviceLibrary } from './device-library';
import { BoardPresence } from './presence';
import { NO_BOARD_MESSAGE, type BoardSession, type Completion } from './session';
import { boardCellError, CellDefinitions } from './traceback';

/**
 * A board reached through @ide49/device (serial port, pty or the in-process virtual
 * board): board cells run through its raw REPL with live output, input() and the stop
 * button; completion and help come from dir() and docstrings on the board. A board that
 * goes away is brought back by its BoardPresence.
 */
export class DeviceBoardSession implements BoardSession {
  private readonly definitions = new CellDefinitions();
  private readonly presence: BoardPresence;

  constructor(
    readonly device: DeviceSession,
    /** What the board said about itself when connected (refreshed on reconnection). */
    public identity: BoardIdentity,
    registry: DeviceRegistry,
    log: Logger,
  ) {
    this.presence = new BoardPresence(device, () => this.identity, (identity) => (this.identity = identity), registry, log);
  }

  get name(): string {
    return this.device.url;
  }

  /** "1.27.0" from sys.version "3.4.0; MicroPython v1.27.0 on 2025-12-10". */
  get micropythonVersion(): string | undefined {
    return /MicroPython v(\d+\.\d+(?:\.\d+)?(?:-[\w.-]+)?)/.exec(this.identity.version)?.[1];
  }

  async exec(code: string, context: CellContext, firstLine = 1): Promise<MimeBundle | void> {
    await this.presence.ensure(context);
    // Blank lines in front make the board's line numbers the cell's line numbers.
    const cellCode = '\n'.repeat(firstLine - 1) + code;
    this.definitions.record(cellCode, context.executionCount);
    // A last expression's value comes back as the cell's result (Out[n]), as in IPython.
    const last = lastExpression(cellCode);
    const sent = last ? withValueShown(cellCode, last, (expression) => this.device.showValueCall(expression)) : cellCode;
    // When input() cannot be answered (no stdin in this frontend, stop pressed), the board code
    // is stopped as by the stop button (Ctrl-C until it ends); the cell fails with the reason.
    const stop = followStopButton(context.signal);
    let inputFailure: unknown;
    const onInput = (prompt: string) =>
      context.input(prompt).catch((error: unknown) => {
        inputFailure = error;
        stop.controller.abort(error);
        throw error;
      });
    try {
      const result = await this.presence.guard(() => this.device.exec(sent, { showsValue: last !== undefined, onStdout: (text) => context.stdout(text), onInput, signal: stop.controller.signal }));
      if (inputFailure) throw inputFailure;
      if (result.exception) throw boardCellError(result.exception, { code: cellCode, executionCount: context.executionCount }, this.definitions);
      if (result.value !== undefined) return { 'text/plain': result.value };
    } finally {
      stop.release();
    }
  }

  /** Runs a device operation (info, reset, time...) for a magic, with the same presence rules as cells. */
  async run<T>(context: CellContext, operation: (device: DeviceSession) => Promise<T>): Promise<T> {
    await this.presence.ensure(context);
    // the stop button stops what the operation runs on the board (Ctrl-C), as in a cell
    const stop = () => this.device.interrupt();
    context.signal.addEventListener('abort', stop, { once: true });
    try {
      return await this.presence.guard(() => operation(this.device));
    } finally {
      context.signal.removeEventListener('abort', stop);
    }
  }

  /**
   * machine.reset() on a real board (its USB port may vanish and come back: that is not
   * a disappearance), the reset button on the virtual one. The boot output is streamed
   * into the cell, and returned.
   */
  async hardReset(context: CellContext): Promise<string> {
    await this.presence.ensure(context);
    return this.presence.expectingLinkLoss(() => this.device.hardReset((text) => context.stdout(text)));
  }

  async complete(code: string, cursor: number): Promise<Completion> {
    const { name, start } = dottedNameBefore(code, cursor);
    const matches = this.presence.isAway ? [] : await this.device.completions(name);
    return { matches, start, end: cursor };
  }

  /**
   * One listing of the folder being typed. Nothing while a cell runs (like names, the editor
   * must never wait for the board); a listing slower than the editor's patience is stopped.
   */
  async completePath(path: string, signal: AbortSignal): Promise<string[]> {
    if (this.presence.isAway || this.device.busy) return [];
    const { folder, stem } = splitPath(path);
    const { BoardFiles, normaliseBoardPath } = deviceLibrary();
    const entries = await new BoardFiles(this.device, { signal }).list(normaliseBoardPath(folder));
    // a file lists as itself, under the name ''
    return pathMatches(folder, stem, entries.filter((entry) => entry.path !== '').map((entry) => ({ name: entry.path, isDir: entry.isDir })));
  }

  async inspect(code: string, cursor: number): Promise<MimeBundle | undefined> {
    const name = dottedNameAround(code, cursor);
    const text = name && !this.presence.isAway ? await this.device.inspect(name) : '';
    return text ? { 'text/plain': text } : undefined;
  }

  async close(): Promise<void> {
    if (this.presence.stop()) await this.device.close();
  }
}

/** The connected board's device session, for magics that work on the board (files, resets, info). */
export function requireDevice(services: KernelServices): DeviceSession {
  return requireBoard(services).device;
}

/** The connected board, or a NoBoardError that says how to connect one. */
export function requireBoard(services: KernelServices): DeviceBoardSession {
  const session = services.board.current;
  if (session instanceof DeviceBoardSession) return session;
  throw new CellError('NoBoardError', NO_BOARD_MESSAGE);
}

/** A controller aborted with the cell's stop button, and abortable on its own; `release` unhooks it. */
function followStopButton(signal: AbortSignal): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  const follow = () => controller.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  return { controller, release: () => signal.removeEventListener('abort', follow) };
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
