import type { Transport } from '../transport/transport';
import { parseBoardException } from './exception';
import { IncomingBytes } from './incoming';
import { OutputMarkers, OutputMarkerScanner } from './output-markers';
import { BoardTextStream } from './text-stream';
import { BoardError, BoardTimeoutError, type CodeRunner, type ExecOptions, type ExecResult } from './types';

const CTRL_A = 0x01;
const CTRL_B = 0x02;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const RAW_BANNER = 'raw REPL; CTRL-B to exit\r\n>';
const RAW_BANNER_END = 'CTRL-B to exit\r\n>';
const FRIENDLY_PROMPT = '>>> ';
const RAW_PASTE_REQUEST = Uint8Array.of(0x05, 0x41, CTRL_A);
/** Plain raw writes are paced like this, as boards with small UART buffers need. */
const PLAIN_RAW_CHUNK = 256;
const PLAIN_RAW_PAUSE_MS = 10;
/** After a stop, Ctrl-C goes out every second; after this many the run is given up (the board may have reset). */
const STOP_GIVE_UP_AFTER = 5;
/** What a run keeps of its output in ExecResult (the streaming callbacks get all of it). */
const KEPT_OUTPUT_CHARS = 1 << 20;

export interface RawReplOptions {
  /**
   * How code is sent. 'auto' (default): plain raw for code up to 256 bytes (one write,
   * no handshake round trip), raw-paste with flow control above that when the firmware
   * has it. 'always': raw-paste for every exec (still falls back when the firmware
   * lacks it). 'never': plain raw with paced writes only.
   */
  rawPaste?: 'auto' | 'always' | 'never';
  /** Longest wait for the raw REPL while a board boots or runs main.py (default 10 s). */
  enterTimeoutMs?: number;
  /** Longest wait for each protocol reply: OK, the paste window, the prompt (default 5 s). */
  replyTimeoutMs?: number;
}

type Mode = 'unknown' | 'raw' | 'friendly';

/**
 * The raw REPL engine: runs code on a MicroPython board over any Transport and streams
 * its output back. One operation at a time (calls queue up). The board is kept in raw
 * mode between runs, so a run costs one round trip.
 */
export class RawRepl implements CodeRunner {
  private readonly incoming: IncomingBytes;
  private readonly markers = new OutputMarkers();
  private readonly options: Required<RawReplOptions>;
  private mode: Mode = 'unknown';
  private hooksInstalled = false;
  /** True while sendPlainRaw writes code (a stop's Ctrl-C must come from there then). */
  private sendingPlainRaw = false;
  /** Learnt on the first raw-paste request of this connection. */
  private rawPasteSupported: boolean | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private running = 0;

  constructor(
    private readonly transport: Transport,
    options: RawReplOptions = {},
  ) {
    this.options = { rawPaste: 'auto', enterTimeoutMs: 10_000, replyTimeoutMs: 5_000, ...options };
    this.incoming = new IncomingBytes(transport);
    transport.onGone(() => this.forgetState());
  }

  /** True while a run (or any other operation) is in progress. */
  get busy(): boolean {
    return this.running > 0;
  }

  /** Whether this connection's firmware accepted raw-paste (undefined until first tried). */
  get rawPasteAvailable(): boolean | undefined {
    return this.rawPasteSupported;
  }

  exec(code: string | Uint8Array, options: ExecOptions = {}): Promise<ExecResult> {
    return this.serialised(async () => {
      await this.ensureRaw();
      if ((options.onInput || options.showsValue) && !this.hooksInstalled) {
        const installed = await this.run(this.markers.installCode(), {});
        if (installed.exception) throw new BoardError(installed.exception);
        this.hooksInstalled = true;
      }
      return this.run(code, options);
    });
  }

  async eval<T = unknown>(expression: string, options: Omit<ExecOptions, 'onStdout'> = {}): Promise<T> {
    const result = await this.exec(evalCode(expression), options);
    if (result.exception) throw new BoardError(result.exception);
    const lines = result.stdout.trimEnd().split('\n');
    return decodeEvalLine(lines[lines.length - 1] ?? '') as T;
  }

  /** `expression` wrapped so that its value becomes ExecResult.value (unless None); exec it with `showsValue`. */
  showValueCall(expression: string): string {
    return this.markers.showValueCall(expression);
  }

  /** Enter raw mode (interrupting whatever runs); resolves at the raw prompt. */
  enterRaw(): Promise<void> {
    return this.serialised(() => this.ensureRaw(true));
  }

  /** Back to the friendly REPL (`>>> `), e.g. before handing the board to a terminal. */
  enterFriendly(): Promise<void> {
    return this.serialised(async () => {
      await this.ensureRaw();
      await this.write(Uint8Array.of(CTRL_B));
      await this.incoming.until(FRIENDLY_PROMPT, { what: `the friendly prompt '${FRIENDLY_PROMPT}' after Ctrl-B`, timeoutMs: this.options.replyTimeoutMs });
      this.mode = 'friendly';
    });
  }

  /**
   * Leave the board at the friendly prompt, as a terminal expects to find it: Ctrl-B
   * when idle in raw mode, without waiting for the banner (best effort, before closing).
   */
  async release(): Promise<void> {
    if (this.mode !== 'raw' || this.busy || this.incoming.gone) return;
    this.mode = 'friendly';
    await this.write(Uint8Array.of(CTRL_B)).catch(() => undefined);
  }

  /**
   * Soft reset from raw mode (Ctrl-D at the prompt): the board restarts its interpreter,
   * runs boot.py (not main.py) and comes back to the raw prompt. Returns its boot output.
   */
  softReset(): Promise<string> {
    return this.serialised(async () => {
      await this.ensureRaw();
      await this.write(Uint8Array.of(CTRL_D));
      await this.incoming.until('OK', { what: "'OK' after the soft reset request", timeoutMs: this.options.replyTimeoutMs });
      this.forgetState();
      const boot = await this.incoming.until(RAW_BANNER, { what: 'the raw REPL banner after a soft reset', timeoutMs: this.options.enterTimeoutMs });
      this.mode = 'raw';
      return new BoardTextStream().push(boot).replace(/^\n/, '');
    });
  }

  /**
   * Send code and do not wait for it to end: for code that resets the board
   * (machine.reset()), whose run never completes. The board's state is unknown afterwards.
   */
  launch(code: string): Promise<void> {
    return this.serialised(async () => {
      await this.ensureRaw();
      this.forgetState();
      await this.sendCode(Buffer.from(code, 'utf8'));
    });
  }

  /**
   * What the board prints until it is quiet for `quietMs` after its first byte (which may
   * take `firstOutputMs`; at most `maxMs` in all): boot logs, also given to `onText` as they come.
   */
  collectOutput(quietMs: number, maxMs: number, onText?: (text: string) => void, firstOutputMs = quietMs): Promise<string> {
    const live = new BoardTextStream();
    const onChunk = onText && ((chunk: Buffer) => onText(live.push(chunk)));
    return this.serialised(async () => new BoardTextStream().push(await this.incoming.quiet(quietMs, maxMs, onChunk, firstOutputMs)));
  }

  /**
   * Hand the link to an interactive terminal: bytes from the board go to `listener`
   * until the returned function is called. The engine forgets the board's mode, so the
   * next exec finds the raw REPL again.
   */
  passthrough(listener: (chunk: Uint8Array) => void): () => void {
    this.forgetState();
    return this.incoming.divert(listener);
  }

  /** The board's state is no longer known (reset, reconnect, terminal use). */
  forgetState(): void {
    this.mode = 'unknown';
    this.hooksInstalled = false;
  }

  dispose(): void {
    this.incoming.dispose();
  }

  private serialised<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      this.running++;
      try {
        return await operation();
      } finally {
        this.running--;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Gets to the raw prompt from any state. A board that is booting or busy in main.py
   * may swallow the first Ctrl-C or be printing: keep sending Ctrl-C + Ctrl-A about
   * every 200 ms until the raw banner appears, within the enter timeout.
   */
  private async ensureRaw(force = false): Promise<void> {
    if (this.mode === 'raw' && !force) return;
    // what came before is no answer to us (a port may replay output nobody read: an old banner)
    this.incoming.discard();
    const deadline = Date.now() + this.options.enterTimeoutMs;
    let attempts = 0;
    for (;;) {
      attempts++;
      await this.write(Uint8Array.of(CTRL_C, CTRL_C, CTRL_A));
      try {
        await this.incoming.until(RAW_BANNER, { what: 'the raw REPL banner', timeoutMs: Math.max(1, Math.min(200, deadline - Date.now())) });
        break;
      } catch (error) {
        if (!(error instanceof BoardTimeoutError)) throw error;
        if (Date.now() >= deadline) {
          throw new BoardTimeoutError(
            `timed out after ${this.options.enterTimeoutMs / 1000} s waiting for the raw REPL banner ('${RAW_BANNER.replace('\r\n', '\\r\\n')}'): ` +
              'the board did not answer Ctrl-C / Ctrl-A. Check that it runs MicroPython, that nothing else uses the port, and press its reset button if it hangs.',
          );
        }
      }
    }
    // Earlier attempts may still have banners in flight: let them arrive and drop them.
    if (attempts > 1) await this.incoming.quiet(100, 1000);
    this.mode = 'raw';
    this.hooksInstalled = false;
  }

  /** One run at the raw prompt: send the code, then stream stdout and the error part. */
  private async run(code: string | Uint8Array, options: ExecOptions): Promise<ExecResult> {
    const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
    const stop = this.interruptOnAbort(options.signal);
    const active = { running: true };
    try {
      // Output a board printed while idle (a Timer callback, a log line) belongs to no run.
      this.incoming.discard();
      const sent = await this.sendCode(typeof code === 'string' ? Buffer.from(code, 'utf8') : Buffer.from(code.buffer, code.byteOffset, code.byteLength), options.signal);
      if (!sent) return stoppedBeforeRunning();
      return await this.readOutput({ ...options, signal: stop.givenUp }, deadline, active);
    } catch (error) {
      this.forgetState();
      if (error instanceof BoardTimeoutError) await this.write(Uint8Array.of(CTRL_C)).catch(() => undefined);
      throw error;
    } finally {
      active.running = false;
      stop.release();
    }
  }

  /** False when a stop came while plain raw code was still going out: nothing runs then. */
  private async sendCode(code: Buffer, signal?: AbortSignal): Promise<boolean> {
    // A lone \x04 at the raw prompt is a soft reset request, not an empty program.
    if (code.length === 0) code = Buffer.from('\n');
    const usePaste = this.options.rawPaste === 'always' || (this.options.rawPaste === 'auto' && code.length > PLAIN_RAW_CHUNK);
    if (usePaste && this.rawPasteSupported !== false) {
      const window = await this.requestRawPaste();
      if (window !== undefined) {
        await this.sendRawPaste(code, window, signal);
        return true;
      }
    }
    return this.sendPlainRaw(code, signal);
  }

  /** Returns the window size, or undefined when the firmware cannot raw-paste (remembered). */
  private async requestRawPaste(): Promise<number | undefined> {
    await this.write(RAW_PASTE_REQUEST);
    // 'R\x01' + window: raw-paste; 'R\x00': understood but disabled, still at the raw prompt.
    // Firmware older than raw-paste takes our Ctrl-A as "re-print the banner" instead.
    // Anything before those (a log line, a callback's print) is not the answer.
    const reply = await this.incoming.take<'R\x01' | 'R\x00' | 'banner'>(
      (pending) => {
        const paste = /R[\x00\x01]/.exec(pending.toString('latin1'));
        const banner = pending.indexOf(RAW_BANNER_END);
        if (banner >= 0 && (!paste || banner < paste.index)) return { consumed: banner + RAW_BANNER_END.length, done: { value: 'banner' } };
        if (paste) return { consumed: paste.index + 2, done: { value: paste[0] as 'R\x01' | 'R\x00' } };
        return { consumed: 0 };
      },
      { what: "the raw-paste reply ('R\\x01' or 'R\\x00')", timeoutMs: this.options.replyTimeoutMs },
    );
    if (reply === 'R\x01') {
      const window = await this.incoming.exactly(2, { what: 'the raw-paste window size', timeoutMs: this.options.replyTimeoutMs });
      this.rawPasteSupported = true;
      return window.readUInt16LE(0);
    }
    this.rawPasteSupported = false;
    return undefined;
  }

  /**
   * After a stop (its Ctrl-C is on the way) no more code and no closing \x04 go out: the
   * board ends the paste with \x04 and reports KeyboardInterrupt, and anything sent after
   * that would reach its raw prompt as the next command.
   */
  private async sendRawPaste(code: Buffer, window: number, signal?: AbortSignal): Promise<void> {
    let credit = window;
    let boardEnded = false;
    const readFlowControl = (wait: boolean) =>
      this.incoming.take<void>(
        (pending) => {
          let i = 0;
          for (; i < pending.length && !boardEnded; i++) {
            if (pending[i] === CTRL_A) credit += window;
            else if (pending[i] === CTRL_D) boardEnded = true;
            // anything else is not flow control (an ESP32 log line, a callback's print): skipped
          }
          return { consumed: i, done: i > 0 || !wait ? { value: undefined } : undefined };
        },
        { what: 'raw-paste flow control (a window credit \\x01)', timeoutMs: this.options.replyTimeoutMs },
      );
    for (let offset = 0; offset < code.length && !boardEnded; ) {
      await readFlowControl(credit === 0);
      if (boardEnded || signal?.aborted) break;
      const chunk = code.subarray(offset, offset + credit);
      await this.write(chunk);
      offset += chunk.length;
      credit -= chunk.length;
    }
    if (signal?.aborted) {
      while (!boardEnded) await readFlowControl(true);
      return;
    }
    await this.write(Uint8Array.of(CTRL_D));
    if (boardEnded) return; // the board stopped taking code (e.g. a compile error); its \x04 was the end
    await this.incoming.take<void>(
      (pending) => {
        const end = pending.indexOf(CTRL_D);
        return end < 0 ? { consumed: pending.length } : { consumed: end + 1, done: { value: undefined } };
      },
      { what: "the board's \\x04 after the raw-paste code (it compiles the code first)", timeoutMs: this.options.replyTimeoutMs + code.length },
    );
  }

  /**
   * In plain raw mode a Ctrl-C only clears the line the board is receiving: after a stop
   * the rest of the code must not follow it (a fragment would run), nor a lone \x04 (a soft
   * reset). So while the code goes out, the stop's Ctrl-C is sent from here. Returns false
   * when the code was withdrawn that way.
   */
  private async sendPlainRaw(code: Buffer, signal?: AbortSignal): Promise<boolean> {
    const pieces: Uint8Array[] = [];
    if (code.length + 1 <= PLAIN_RAW_CHUNK) pieces.push(Buffer.concat([code, Uint8Array.of(CTRL_D)]));
    else {
      for (let offset = 0; offset < code.length; offset += PLAIN_RAW_CHUNK) pieces.push(code.subarray(offset, offset + PLAIN_RAW_CHUNK));
      pieces.push(Uint8Array.of(CTRL_D));
    }
    this.sendingPlainRaw = true;
    try {
      for (const [index, piece] of pieces.entries()) {
        if (signal?.aborted) {
          await this.write(Uint8Array.of(CTRL_C));
          return false;
        }
        if (index > 0) await new Promise((r) => setTimeout(r, PLAIN_RAW_PAUSE_MS));
        await this.write(piece);
      }
    } finally {
      this.sendingPlainRaw = false;
    }
    // Bytes before the OK are not the run's (a callback printed just before the code arrived),
    // unless they echo the code: then the board was not in raw mode (reset unnoticed), and
    // the OK found was part of the code.
    const before = await this.incoming.until('OK', { what: "'OK' after sending code in raw mode (is the board in raw mode?)", timeoutMs: this.options.replyTimeoutMs });
    if (isEchoOf(before, code)) {
      // the \x04 sent was a soft reset request to the friendly REPL: let it finish
      await this.incoming.quiet(200, 3000);
      throw new Error('the board echoed the code instead of answering OK: it was not in raw mode (did it reset?); run the cell again');
    }
    return true;
  }

  private async readOutput(options: ExecOptions, deadline: number | undefined, active: { running: boolean }): Promise<ExecResult> {
    const remaining = () => (deadline === undefined ? undefined : Math.max(1, deadline - Date.now()));
    const what = (part: string) => `${part}${deadline === undefined ? '' : ' (the exec timeout)'}`;
    const stdoutText = new BoardTextStream();
    const requests = new OutputMarkerScanner(this.markers.marker);
    let value: string | undefined;
    let stdout = '';
    const emitStdout = (text: string) => {
      if (!text) return;
      stdout = keepTail(stdout + text);
      options.onStdout?.(text);
    };
    const emitPieces = (text: string) => {
      for (const piece of requests.push(text)) {
        if ('text' in piece) {
          emitStdout(piece.text);
        } else if ('value' in piece) {
          value = piece.value;
        } else {
          emitStdout(piece.prompt);
          this.answerInput(piece.prompt, options, active);
        }
      }
    };
    const onStdoutBytes = options.onStdoutBytes;
    await this.incoming.take<void>((pending) => {
      const end = pending.indexOf(CTRL_D);
      const part = pending.subarray(0, end < 0 ? pending.length : end);
      if (onStdoutBytes) {
        if (part.length > 0) onStdoutBytes(Buffer.from(part));
      } else {
        emitPieces(stdoutText.push(part));
      }
      return end < 0 ? { consumed: pending.length } : { consumed: end + 1, done: { value: undefined } };
    }, { what: what('the end of the run (\\x04 after stdout)'), timeoutMs: remaining(), signal: options.signal });
    emitPieces(stdoutText.end());
    emitStdout(requests.end());

    const stderrText = new BoardTextStream();
    let stderr = '';
    const emitStderr = (text: string) => {
      if (!text) return;
      stderr = keepTail(stderr + text);
      options.onStderr?.(text);
    };
    await this.incoming.take<void>((pending) => {
      const end = pending.indexOf(CTRL_D);
      emitStderr(stderrText.push(pending.subarray(0, end < 0 ? pending.length : end)));
      return end < 0 ? { consumed: pending.length } : { consumed: end + 1, done: { value: undefined } };
    }, { what: what('the end of the error part (second \\x04)'), timeoutMs: remaining(), signal: options.signal });
    emitStderr(stderrText.end());

    const prompt = await this.incoming.exactly(1, { what: "the raw REPL prompt '>' after a run", timeoutMs: this.options.replyTimeoutMs });
    if (prompt[0] === 0x3e) {
      this.mode = 'raw';
    } else {
      // SystemExit (e.g. sys.exit()) makes the board leave raw mode and soft reset.
      this.forgetState();
    }
    const exception = parseBoardException(stderr);
    return { stdout, stderr, ...(exception && { exception }), ...(value !== undefined && { value }) };
  }

  /** The answer goes to the board only while its run lasts: late, it would prefix the next command. */
  private answerInput(prompt: string, options: ExecOptions, active: { running: boolean }): void {
    const onInput = options.onInput;
    if (!onInput) return;
    const send = (data: Uint8Array) => (active.running ? this.write(data) : undefined);
    void onInput(prompt)
      .then((line) => send(Buffer.from(line.replace(/[\r\n]/g, ' ') + '\n', 'utf8')))
      .catch(() => send(Uint8Array.of(CTRL_C)))
      .catch(() => undefined);
  }

  /**
   * Stop = Ctrl-C now, and again every second until the run ends (a busy board may miss
   * one). A board that has not ended the run after STOP_GIVE_UP_AFTER of them (it reset,
   * or hangs in a call that ignores Ctrl-C) is given up: `givenUp` aborts the wait.
   */
  private interruptOnAbort(signal: AbortSignal | undefined): { givenUp: AbortSignal; release: () => void } {
    const giveUp = new AbortController();
    if (!signal) return { givenUp: giveUp.signal, release: () => undefined };
    let timer: NodeJS.Timeout | undefined;
    let sent = 0;
    const interrupt = () => {
      // sendPlainRaw sends the stop's Ctrl-C itself while code goes out: ask again shortly
      if (this.sendingPlainRaw) {
        timer = setTimeout(interrupt, 20);
        return;
      }
      if (sent === STOP_GIVE_UP_AFTER) {
        giveUp.abort(
          new BoardTimeoutError(
            `the board did not end the run after ${sent} Ctrl-C over ${sent - 1} s: it may have reset, or hang in a call that ignores Ctrl-C. ` +
              'The next command enters the raw REPL again; press the board\'s reset button if it does not answer.',
          ),
        );
        return;
      }
      sent++;
      void this.write(Uint8Array.of(CTRL_C)).catch(() => undefined);
      timer = setTimeout(interrupt, 1000);
    };
    if (signal.aborted) interrupt();
    else signal.addEventListener('abort', interrupt, { once: true });
    return {
      givenUp: giveUp.signal,
      release: () => {
        signal.removeEventListener('abort', interrupt);
        if (timer) clearTimeout(timer);
      },
    };
  }

  private async write(data: Uint8Array): Promise<void> {
    const size = this.transport.maxWriteSize;
    if (data.length <= size) return this.transport.write(data);
    for (let offset = 0; offset < data.length; offset += size) await this.transport.write(data.subarray(offset, offset + size));
  }
}

/**
 * Board code that prints an expression's value as one line: 'J' + JSON when the json
 * module can encode it, else 'R' + repr. Names are prefixed to stay out of the user's way.
 */
function evalCode(expression: string): string {
  return [
    `_ide49_v = (${expression})`,
    'try:',
    ' if isinstance(_ide49_v, (bytes, bytearray)): raise TypeError  # json would write them as text',
    ' import json as _ide49_j',
    " print('J' + _ide49_j.dumps(_ide49_v))",
    'except Exception:',
    " print('R' + repr(_ide49_v))",
    'del _ide49_v',
  ].join('\n');
}

function decodeEvalLine(line: string): unknown {
  if (line.startsWith('J')) {
    try {
      return JSON.parse(line.slice(1));
    } catch {
      return line.slice(1); // MicroPython's json can write what JSON.parse refuses (e.g. NaN)
    }
  }
  if (line.startsWith('R')) return line.slice(1);
  throw new Error(`eval: the board printed ${JSON.stringify(line)} instead of a value line`);
}

/** Keeps the last KEPT_OUTPUT_CHARS of a run's output (a cell may print for hours). */
function keepTail(text: string): string {
  return text.length > 2 * KEPT_OUTPUT_CHARS ? text.slice(-KEPT_OUTPUT_CHARS) : text;
}

/** The result of a run whose code was withdrawn by a stop before the board could run it. */
function stoppedBeforeRunning(): ExecResult {
  const stderr = 'KeyboardInterrupt: stopped before the code reached the board\n';
  return { stdout: '', stderr, exception: parseBoardException(stderr) };
}

/** Whether what came before an 'OK' is the friendly REPL echoing `code` (continuation prompts and CRs aside). */
function isEchoOf(before: Buffer, code: Buffer): boolean {
  const echoed = before.toString('latin1').replace(/\r/g, '').replace(/\n(\.\.\. |>>> )/g, '\n');
  return echoed.trim().length >= 4 && code.toString('latin1').includes(echoed.trimStart());
}
