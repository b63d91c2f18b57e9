import type { BoardIdentity, DeviceRegistry, DeviceSession } from '@ide49/device';
import type { Logger } from '../log';
import { CellError, type CellContext, type MimeBundle } from '../magics/magic';
import type { KernelServices } from '../magics/services';
import { deviceLibrary } from './device-library';
import { NO_BOARD_MESSAGE, type BoardSession, type Completion } from './session';
import { boardCellError, CellDefinitions } from './traceback';

/** How long a cell waits for a board that went away before it fails (a replugged board takes a moment). */
export const RETURN_WAIT_MS = 5000;
/** How often the kernel tries to open a board that went away, and how often (in tries) it also looks for it under another port name. */
const RETRY_EVERY_MS = 500;
const SEARCH_BY_UNIQUE_ID_EVERY = 10;

/**
 * A board reached through @ide49/device (serial port, pty or the in-process virtual
 * board): board cells run through its raw REPL with live output, input() and the stop
 * button; completion and help come from dir() and docstrings on the board. When the
 * board goes away, the session keeps trying to reopen it (same URL, or found again by its
 * unique id) and tells the next cell.
 */
export class DeviceBoardSession implements BoardSession {
  private readonly definitions = new CellDefinitions();
  /** Set while the board is away. */
  private lost?: { error: Error; back: Promise<void> };
  /** Said at the start of the next cell that uses the board ("reconnected to ..."). */
  private notices: string[] = [];
  private resetting = false;
  private closed = false;

  constructor(
    readonly device: DeviceSession,
    /** What the board said about itself when connected (refreshed on reconnection). */
    public identity: BoardIdentity,
    private readonly registry: DeviceRegistry,
    private readonly log: Logger,
  ) {
    device.on('gone', (error) => this.onGone(error));
  }

  get name(): string {
    return this.device.url;
  }

  /** "1.27.0" from sys.version "3.4.0; MicroPython v1.27.0 on 2025-12-10". */
  get micropythonVersion(): string | undefined {
    return /MicroPython v(\d+\.\d+(?:\.\d+)?(?:-[\w.-]+)?)/.exec(this.identity.version)?.[1];
  }

  /** True while the board is away and being waited for. */
  get isLost(): boolean {
    return this.lost !== undefined;
  }

  async exec(code: string, context: CellContext, firstLine = 1): Promise<MimeBundle | void> {
    await this.ensurePresent(context);
    // Blank lines in front make the board's line numbers the cell's line numbers.
    const cellCode = '\n'.repeat(firstLine - 1) + code;
    this.definitions.record(cellCode, context.executionCount);
    // When input() cannot be answered (no stdin in this frontend, stop pressed), the board code
    // is stopped as by the stop button (Ctrl-C until it ends); the cell fails with the reason.
    const stop = new AbortController();
    const stopWithCell = () => stop.abort(context.signal.reason);
    if (context.signal.aborted) stopWithCell();
    else context.signal.addEventListener('abort', stopWithCell, { once: true });
    let inputFailure: unknown;
    const onInput = (prompt: string) =>
      context.input(prompt).catch((error: unknown) => {
        inputFailure = error;
        stop.abort(error);
        throw error;
      });
    try {
      const result = await this.whilePresent(() => this.device.exec(cellCode, { onStdout: (text) => context.stdout(text), onInput, signal: stop.signal }));
      if (inputFailure) throw inputFailure;
      if (result.exception) throw boardCellError(result.exception, { code: cellCode, executionCount: context.executionCount }, this.definitions);
    } finally {
      context.signal.removeEventListener('abort', stopWithCell);
    }
  }

  /** Runs a device operation (info, reset, time...) for a magic, with the same presence rules as cells. */
  async run<T>(context: CellContext, operation: (device: DeviceSession) => Promise<T>): Promise<T> {
    await this.ensurePresent(context);
    return this.whilePresent(() => operation(this.device));
  }

  /**
   * machine.reset() on a real board (its USB port may vanish and come back: that is not
   * a disappearance), the reset button on the virtual one. Returns the boot output.
   */
  async hardReset(context: CellContext): Promise<string> {
    await this.ensurePresent(context);
    this.resetting = true;
    try {
      return await this.whilePresent(() => this.device.hardReset());
    } finally {
      this.resetting = false;
    }
  }

  async complete(code: string, cursor: number): Promise<Completion> {
    const { name, start } = dottedNameBefore(code, cursor);
    const matches = this.lost ? [] : await this.device.completions(name);
    return { matches, start, end: cursor };
  }

  async inspect(code: string, cursor: number): Promise<MimeBundle | undefined> {
    const name = dottedNameAround(code, cursor);
    const text = name && !this.lost ? await this.device.inspect(name) : '';
    return text ? { 'text/plain': text } : undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (!this.lost) await this.device.close();
  }

  /** Says pending notices; when the board is away, waits a little for it, else fails the cell. */
  private async ensurePresent(context: CellContext): Promise<void> {
    const lost = this.lost;
    if (lost) {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, RETURN_WAIT_MS).unref());
      await Promise.race([lost.back, timeout, aborted(context.signal)]);
      if (context.signal.aborted) throw context.signal.reason;
      if (this.lost) {
        throw new CellError('BoardGoneError', `board ${this.device.url} is still away (${lost.error.message}); it will be reconnected when it comes back, or %connect another board.`);
      }
    }
    for (const notice of this.notices.splice(0)) context.stdout(`${notice}\n`);
  }

  /** A link that goes away during `operation` fails the cell cleanly. */
  private async whilePresent<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if ((error as Error).name !== 'TransportGoneError' && !this.lost) throw error;
      const reason = this.lost?.error.message ?? (error as Error).message;
      throw new CellError('BoardGoneError', `board ${this.device.url} disappeared: ${reason}; it will be reconnected when it comes back.`);
    }
  }

  private onGone(error: Error): void {
    if (this.resetting || this.closed || this.lost) return;
    this.log.warn(`board ${this.device.url} went away: ${error.message}`);
    this.lost = { error, back: this.waitForReturn(this.device.url) };
  }

  private async waitForReturn(url: string): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
      if (this.closed) return;
      const candidate = attempt % SEARCH_BY_UNIQUE_ID_EVERY === 0 ? await this.searchByUniqueId(url) : url;
      if (candidate && (await this.reopen(candidate, url))) return;
    }
  }

  private async searchByUniqueId(url: string): Promise<string | undefined> {
    const uniqueId = this.identity.uniqueId;
    if (!uniqueId) return url;
    const address = deviceLibrary().parseDeviceUrl(url);
    const extraPaths = address.kind === 'serial' ? [address.path] : [];
    return (await deviceLibrary().findBoardByUniqueId(uniqueId, { timeoutMs: 0, registry: this.registry, extraPaths }).catch(() => undefined)) ?? url;
  }

  private async reopen(url: string, previousUrl: string): Promise<boolean> {
    try {
      await this.device.reconnect(url);
      this.identity = await this.device.identify();
    } catch (error) {
      this.log.debug(`board ${url} not back yet: ${(error as Error).message}`);
      return false;
    }
    if (this.closed) {
      await this.device.close().catch(() => undefined);
      return true;
    }
    this.lost = undefined;
    const moved = url === previousUrl ? '' : ` (was ${previousUrl})`;
    this.notices.push(`reconnected to ${url}${moved}; variables on the board are gone if it was reset.`);
    this.log.info(`board reconnected at ${url}`);
    return true;
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

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
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
