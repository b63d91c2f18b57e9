/** Options for running code on a board through the raw REPL. */
export interface ExecOptions {
  /** Board stdout as it arrives, already UTF-8 decoded (split sequences are held back until complete). */
  onStdout?: (text: string) => void;
  /**
   * Board stdout as raw bytes, exactly as sent (no UTF-8 decoding, no "\r\n" folding);
   * when given, onStdout is not called and ExecResult.stdout stays empty. The file
   * transfers (src/files) read binary data through this.
   */
  onStdoutBytes?: (bytes: Uint8Array) => void;
  /** Board stderr part (the traceback) as it arrives. */
  onStderr?: (text: string) => void;
  /** The code holds a showValueCall: its function is installed on the board first (once per connection). */
  showsValue?: boolean;
  /** The board's code called input(prompt): return the line to send (without newline). */
  onInput?: (prompt: string) => Promise<string>;
  /** Abort = the user pressed stop: the engine sends Ctrl-C and the exec ends with a KeyboardInterrupt exception. */
  signal?: AbortSignal;
  /** Longest time to wait for the run to end; undefined = no limit (a cell may run forever). */
  timeoutMs?: number;
}

/** A MicroPython exception raised by board code, parsed from the raw REPL's error part. */
export interface BoardException {
  /** e.g. "ZeroDivisionError" */
  type: string;
  /** e.g. "divide by zero" (may be empty) */
  message: string;
  /** The board's traceback, one entry per line, as printed (including the last "Type: message" line). */
  traceback: string[];
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Set when the code raised. */
  exception?: BoardException;
  /** The repr sent by a showValueCall in the code (the last one), when it was not None. */
  value?: string;
}

/**
 * The raw REPL engine's surface that everything above it (kernel, files, CLI) uses.
 * Implemented by `RawRepl` over any Transport.
 */
export interface CodeRunner {
  /**
   * Run source code; resolves when the board is back at the raw prompt. Code given as
   * bytes is sent unchanged (src/files sends bytes literals carrying raw 8-bit data;
   * MicroPython's raw REPL and lexer are 8-bit clean), a string is sent as UTF-8.
   */
  exec(code: string | Uint8Array, options?: ExecOptions): Promise<ExecResult>;
  /** Evaluate an expression on the board and return its value (JSON-decoded, repr as fallback). Throws BoardError if it raised. */
  eval<T = unknown>(expression: string, options?: Omit<ExecOptions, 'onStdout'>): Promise<T>;
}

/** Thrown by `eval` and helpers when board code raised; carries the parsed exception. */
export class BoardError extends Error {
  constructor(readonly exception: BoardException) {
    super(`${exception.type}: ${exception.message}`);
    this.name = 'BoardError';
  }
}

/** A wait on the board timed out; the message says what was expected. */
export class BoardTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoardTimeoutError';
  }
}
