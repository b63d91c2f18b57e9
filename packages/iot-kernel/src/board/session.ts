import { CellError, type CellContext, type MimeBundle } from '../magics/magic';
import { renderShellWord, type BoardPathWord } from '../completion';

/** Completion matches with the range they replace, in JavaScript string indices of the code. */
export interface Completion {
  matches: string[];
  start: number;
  end: number;
}

/**
 * A connected board as the kernel sees it. The device layer (raw REPL over a serial
 * port, a socket or the virtual board) implements this; `%connect` attaches one.
 */
export interface BoardSession {
  /** Where the board is, e.g. "virtual://demo" or "/dev/ttyACM0". */
  readonly name: string;
  /** The board's MicroPython version (e.g. "1.24.1") once known: kernel_info reports it. */
  readonly micropythonVersion?: string;
  /**
   * Runs board code with live output, input() and the stop button; resolves with the value
   * to show, if any. `firstLine` is the cell line the code starts on (tracebacks name cell lines).
   */
  exec(code: string, context: CellContext, firstLine?: number): Promise<MimeBundle | void>;
  /** `cursor` is a JavaScript string index into `code`. */
  complete(code: string, cursor: number, signal: AbortSignal): Promise<Completion>;
  /** Board paths that complete `path` (e.g. "/lib/se"; relative paths start at the root), folders ending with '/'. */
  completePath(path: string, signal: AbortSignal): Promise<string[]>;
  /** Help for the name at `cursor`, or undefined when there is none. */
  inspect(code: string, cursor: number, detailLevel: number, signal: AbortSignal): Promise<MimeBundle | undefined>;
  close(): Promise<void>;
}

/** How long complete/inspect may wait for the board before answering empty (the user is typing). */
export const BOARD_QUERY_TIMEOUT_MS = 1000;

export const NO_BOARD_MESSAGE = 'No board connected. %connect connects a free USB board or else the virtual board virtual://demo; %connect /dev/ttyACM0 or %connect NAME picks one; %discover lists boards.';

/** The kernel's slot for at most one board session. */
export class BoardConnection {
  private session?: BoardSession;
  /** A connection made in the background (the notebook's last board at kernel start). */
  private pending: Promise<void> = Promise.resolve();
  /** Why the background connection failed, told by the next board cell. */
  private backgroundFailure?: string;

  get current(): BoardSession | undefined {
    return this.session;
  }

  /** Makes `session` the board that runs code; a previous one is closed. */
  async attach(session: BoardSession): Promise<void> {
    this.backgroundFailure = undefined;
    const previous = this.session;
    this.session = session;
    if (previous && previous !== session) await previous.close();
  }

  /** Lets `task` (e.g. reconnecting the last board) run in the background; cells wait for it through `settled()`. */
  connectInBackground(task: Promise<void>, what: string): void {
    const recorded = task.catch((error: Error) => {
      this.backgroundFailure = `${what} failed: ${error instanceof CellError ? error.evalue : error.message}`;
    });
    this.pending = Promise.all([this.pending, recorded]).then(() => undefined);
  }

  /** Resolves once background connections have finished (successfully or not). */
  settled(): Promise<void> {
    return this.pending;
  }

  async detach(): Promise<void> {
    this.backgroundFailure = undefined;
    const previous = this.session;
    this.session = undefined;
    await previous?.close();
  }

  exec(code: string, context: CellContext, firstLine = 1): Promise<MimeBundle | void> {
    if (!this.session) throw new CellError('NoBoardError', this.backgroundFailure ? `${NO_BOARD_MESSAGE} (${this.backgroundFailure})` : NO_BOARD_MESSAGE);
    return this.session.exec(code, context, firstLine);
  }

  /** Empty without a board, or when the board does not answer in time. */
  async complete(code: string, cursor: number): Promise<Completion> {
    return (await this.ask((session, signal) => session.complete(code, cursor, signal))) ?? { matches: [], start: cursor, end: cursor };
  }

  /** The board paths that complete the word `:path` (from its start to `cursor`), as `:PATH` words quoted like it; empty as `complete`. */
  async completePath(word: BoardPathWord, cursor: number): Promise<Completion> {
    const paths = (await this.ask((session, signal) => session.completePath(word.path, signal))) ?? [];
    return { matches: paths.map((found) => renderShellWord(`:${found}`, word.quote)), start: word.start, end: cursor };
  }

  inspect(code: string, cursor: number, detailLevel: number): Promise<MimeBundle | undefined> {
    return this.ask((session, signal) => session.inspect(code, cursor, detailLevel, signal));
  }

  /** An editor query to the board: undefined without a board, on failure, or when the board does not answer in time. */
  private async ask<T>(query: (session: BoardSession, signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    const session = this.session;
    return session ? withTimeout((signal) => query(session, signal)) : undefined;
  }
}

async function withTimeout<T>(query: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const signal = AbortSignal.timeout(BOARD_QUERY_TIMEOUT_MS);
  const timedOut = new Promise<undefined>((resolve) => signal.addEventListener('abort', () => resolve(undefined)));
  try {
    return await Promise.race([query(signal), timedOut]);
  } catch {
    return undefined;
  }
}
