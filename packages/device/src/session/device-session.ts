import { EventEmitter } from 'node:events';
import { RawRepl, type RawReplOptions } from '../repl/raw-repl';
import { BoardError, type ExecOptions, type ExecResult } from '../repl/types';
import { createTransport } from '../transport/open';
import { TransportGoneError, type Transport } from '../transport/transport';
import { GET_TIME_EXPRESSION, IDENTIFY_SCRIPT, INFO_SCRIPT, inspectExpression, namesExpression, setTimeScript } from './board-scripts';

export interface BoardIdentity {
  /** machine.unique_id() as hex; undefined on ports without `machine`. */
  uniqueId?: string;
  /** sys.platform, e.g. "esp32", "rp2", "webassembly" */
  platform: string;
  /** sys.version, e.g. "3.4.0; MicroPython v1.27.0 on 2025-12-10" */
  version: string;
  /** os.uname().version (the firmware build), else "MicroPython " + sys.version */
  firmware: string;
  /** os.uname().machine, e.g. "Raspberry Pi Pico with RP2040" */
  machine?: string;
}

export interface BoardInfo extends BoardIdentity {
  memFree: number;
  memAlloc: number;
  /** Bytes of the filesystem at '/', from os.statvfs */
  flashTotal?: number;
  flashFree?: number;
}

export interface DeviceSessionOptions extends RawReplOptions {
  /** How a URL becomes a transport (default: serial, virtual). */
  createTransport?: (url: string) => Transport;
  /** How long hardReset waits for a board whose port went away to come back (default 10 s). */
  reappearTimeoutMs?: number;
}

/** Completion and inspection must never freeze an editor: they give up after this. */
const EDITOR_QUERY_TIMEOUT_MS = 1000;

export interface DeviceSessionEvents {
  /** The link went away (unplugged, worker crashed). Call reconnect() when it is back. */
  gone: [TransportGoneError];
  /** The session is connected again (after reconnect() or a hard reset that re-opened the port). */
  back: [string];
}

/**
 * A board session: one transport and the raw REPL engine over it, plus the operations
 * everything above needs (identify, info, reset, time, completion, inspection).
 */
export class DeviceSession extends EventEmitter<DeviceSessionEvents> {
  private transport!: Transport;
  private engine!: RawRepl;
  private currentUrl: string;
  private readonly runs = new Set<AbortController>();

  private constructor(
    url: string,
    private readonly options: DeviceSessionOptions,
  ) {
    super();
    this.currentUrl = url;
  }

  /** Opens `url` (serial:///dev/..., /dev/..., virtual://NAME). Does not interrupt the board yet: the first exec does. */
  static async connect(url: string, options: DeviceSessionOptions = {}): Promise<DeviceSession> {
    const session = new DeviceSession(url, options);
    await session.open();
    return session;
  }

  get url(): string {
    return this.currentUrl;
  }

  /** The raw REPL engine (a CodeRunner), for layers that run code themselves (files). */
  get repl(): RawRepl {
    return this.engine;
  }

  get link(): Transport {
    return this.transport;
  }

  get isOpen(): boolean {
    return this.transport.isOpen;
  }

  /** True while a run occupies the board. */
  get busy(): boolean {
    return this.engine.busy;
  }

  async exec(code: string | Uint8Array, options: ExecOptions = {}): Promise<ExecResult> {
    const controller = new AbortController();
    const forward = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) forward();
    options.signal?.addEventListener('abort', forward, { once: true });
    this.runs.add(controller);
    try {
      return await this.engine.exec(code, { ...options, signal: controller.signal });
    } finally {
      this.runs.delete(controller);
      options.signal?.removeEventListener('abort', forward);
    }
  }

  eval<T = unknown>(expression: string, options: Omit<ExecOptions, 'onStdout'> = {}): Promise<T> {
    return this.engine.eval<T>(expression, options);
  }

  /** `expression` wrapped so that its value becomes ExecResult.value (see RawRepl.showValueCall). */
  showValueCall(expression: string): string {
    return this.engine.showValueCall(expression);
  }

  /** Stop the running exec (Ctrl-C); it ends with a KeyboardInterrupt exception, the board keeps its state. */
  interrupt(): void {
    for (const run of this.runs) run.abort();
  }

  identify(): Promise<BoardIdentity> {
    return this.runForJson<BoardIdentity>(IDENTIFY_SCRIPT);
  }

  info(): Promise<BoardInfo> {
    return this.runForJson<BoardInfo>(INFO_SCRIPT);
  }

  /** Soft reset (interpreter restart, boot.py; variables are gone). Returns the boot output. */
  softReset(): Promise<string> {
    return this.engine.softReset();
  }

  /**
   * Hard reset: the virtual board's reset button, or machine.reset() on a real board.
   * Collects the boot output until the board is quiet, re-opening the port if it went
   * away meanwhile (USB boards re-enumerate). Returns the boot output, also given to
   * `onOutput` as it comes.
   */
  async hardReset(onOutput?: (text: string) => void): Promise<string> {
    const resettable = this.transport as Transport & { hardReset?: () => Promise<void> };
    this.engine.forgetState();
    if (resettable.hardReset) await resettable.hardReset();
    else {
      // A native-USB board may drop its port before it answered OK: that is the reset happening.
      await this.engine.launch('import machine\nmachine.reset()').catch((error: unknown) => {
        if (!(error instanceof TransportGoneError)) throw error;
      });
    }
    // A board (or a loaded host restarting the virtual board) can be silent for a while
    // before its banner: wait up to 5 s for the first byte, then until 500 ms of quiet.
    const boot = this.transport.isOpen ? await this.engine.collectOutput(500, 10_000, onOutput, 5000) : '';
    if (!this.transport.isOpen) await this.reopenWhenBack();
    return boot;
  }

  /** Sets the board's RTC from the host clock (local time, as mpremote does). */
  async synctime(when: Date = new Date()): Promise<void> {
    const result = await this.exec(setTimeScript(when));
    if (result.exception) throw new BoardError(result.exception);
  }

  /** The board's clock (time.localtime()) as a Date in the host's time zone. */
  async gettime(): Promise<Date> {
    const [year, month, day, hours, minutes, seconds] = await this.eval<number[]>(GET_TIME_EXPRESSION);
    return new Date(year, month - 1, day, hours, minutes, seconds);
  }

  /**
   * Names that complete `prefix` (a dotted name such as "machine.Pi"), from dir() on
   * the board. Empty at once while the board is busy, and after a short timeout.
   */
  async completions(prefix: string): Promise<string[]> {
    const match = /^((?:[A-Za-z_]\w*\.)*)([A-Za-z_]\w*)?$/.exec(prefix);
    if (!match || this.busy) return [];
    const base = match[1] ? match[1].slice(0, -1) : undefined;
    const stem = match[2] ?? '';
    const names = await this.editorQuery<string[]>(namesExpression(base), []);
    const unique = [...new Set(names)].filter((n) => n.startsWith(stem) && !n.startsWith('_ide49')).sort();
    return unique.map((n) => (base ? `${base}.${n}` : n));
  }

  /** repr and docstring of a dotted name on the board; '' while busy or when it does not exist. */
  async inspect(name: string): Promise<string> {
    if (!/^[A-Za-z_][\w.]*$/.test(name) || this.busy) return '';
    const [repr, doc] = await this.editorQuery<[string, string | null]>(inspectExpression(name), ['', null]);
    return doc ? `${repr}\n\n${doc}` : repr;
  }

  /** Open the link again, at `url` (e.g. found again by unique id under a new name) or the same one. */
  async reconnect(url: string = this.currentUrl): Promise<void> {
    await this.closeLink();
    this.currentUrl = url;
    await this.open();
    this.emit('back', url);
  }

  /** Closes the link, leaving an idle board at its friendly prompt (a running exec is interrupted). */
  async close(): Promise<void> {
    this.interrupt();
    await this.engine.release();
    await this.closeLink();
  }

  private async open(): Promise<void> {
    const transport = (this.options.createTransport ?? createTransport)(this.currentUrl);
    await transport.open();
    this.transport = transport;
    this.engine = new RawRepl(transport, this.options);
    transport.onGone((error) => this.emit('gone', error));
  }

  private async closeLink(): Promise<void> {
    this.engine?.dispose();
    await this.transport?.close().catch(() => undefined);
  }

  private async reopenWhenBack(): Promise<void> {
    const deadline = Date.now() + (this.options.reappearTimeoutMs ?? 10_000);
    for (;;) {
      try {
        await this.reconnect();
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw new Error(`${this.currentUrl} did not come back within ${(this.options.reappearTimeoutMs ?? 10_000) / 1000} s after the reset: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  private async editorQuery<T>(expression: string, fallback: T): Promise<T> {
    try {
      return await this.engine.eval<T>(expression, { timeoutMs: EDITOR_QUERY_TIMEOUT_MS });
    } catch {
      return fallback;
    }
  }

  private async runForJson<T>(script: string): Promise<T> {
    const result = await this.exec(script);
    if (result.exception) throw new BoardError(result.exception);
    const lines = result.stdout.trimEnd().split('\n');
    return JSON.parse(lines[lines.length - 1]) as T;
  }
}
