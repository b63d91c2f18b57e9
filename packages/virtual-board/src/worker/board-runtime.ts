/**
 * The board's main loop, as a board's main.c runs it around MicroPython's REPL: feed
 * received bytes to the package's genuine REPL (pyexec's friendly, raw and paste
 * modes), and add what the WebAssembly build leaves to its host: the board side of
 * raw-paste, soft reset (fresh interpreter, boot.py, main.py) and running boot scripts.
 */
import type { BoardIo } from './board-io';
import type { MicroPythonInstance } from './emscripten';
import type { MemoryCap } from './memory-cap';

const CTRL_A = 0x01;
const CTRL_B = 0x02;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_E = 0x05;
const LF = 0x0a;
/** replProcessChar's result bit asking for a soft reset (PYEXEC_FORCED_EXIT). */
const PYEXEC_FORCED_EXIT = 0x100;
const RAW_REPL_BANNER = 'raw REPL; CTRL-B to exit\r\n>';
/** Raw-paste flow-control window: half of a board's 256-byte stdin buffer. */
const RAW_PASTE_WINDOW = 128;
const PYSTACK_WORDS = 2048;

export class BoardRuntime {
  /** Mirrors pyexec_mode_kind (kept by the C code across soft resets). */
  private rawMode = false;
  /** Mirrors the raw REPL's line: its first two bytes and its length. */
  private rawLineStart: number[] = [];
  private rawLineLength = 0;
  /** Bytes of the raw REPL's "OK" still to swallow (raw-paste answers without it). */
  private okToSwallow = 0;
  private recentOutput = '';
  /** A fresh instance continuing a soft reset from raw mode must enter raw mode itself. */
  private rawModeToRestore = false;

  constructor(
    private readonly mp: MicroPythonInstance,
    private readonly io: BoardIo,
    private readonly heapBytes: number,
    private readonly memoryCap: MemoryCap,
    private readonly platform: {
      installBoardModule(): void;
      /** Continues the soft reset in a fresh interpreter instance; never returns. */
      softResetInFreshInstance(rawMode: boolean): never;
    },
  ) {}

  /** True while Python code runs with Ctrl-C enabled (micropython.kbd_intr), so a received Ctrl-C must interrupt it. */
  interruptEnabled(): boolean {
    return this.mp._module._mp_hal_get_interrupt_char() === CTRL_C;
  }

  /** Everything the interpreter prints comes through here. */
  onInterpreterOutput(bytes: Uint8Array): void {
    const swallowed = Math.min(this.okToSwallow, bytes.length);
    this.okToSwallow -= swallowed;
    const shown = bytes.subarray(swallowed);
    this.io.writeCooked(shown);
    const tail = shown.subarray(Math.max(0, shown.length - RAW_REPL_BANNER.length));
    this.recentOutput = (this.recentOutput + Buffer.from(tail).toString('latin1')).slice(-RAW_REPL_BANNER.length);
  }

  /** Power-on or hard reset: the interpreter was just created by loadMicroPython. */
  boot(): void {
    this.startInterpreter();
  }

  /** The second half of a soft reset begun by the previous instance (see softReset). */
  continueSoftReset(rawMode: boolean): void {
    this.rawMode = rawMode;
    this.rawModeToRestore = rawMode;
    this.startInterpreter();
  }

  /** Never returns: the board runs until its worker is terminated. */
  runForever(): never {
    for (;;) {
      const byte = this.io.readByte();
      this.receive(byte);
      this.io.flush();
    }
  }

  private receive(byte: number): void {
    if (this.rawMode && byte === CTRL_A && this.rawLineLength === 2 && this.rawLineStart[0] === CTRL_E && this.rawLineStart[1] === 0x41) {
      this.trackRawLine(CTRL_C);
      this.feed(CTRL_C); // clears the raw line ("\x05A") without output
      this.rawPaste();
      return;
    }
    this.trackRawLine(byte);
    this.feed(byte);
  }

  private trackRawLine(byte: number): void {
    if (!this.rawMode) return;
    if (byte === CTRL_A || byte === CTRL_B || byte === CTRL_C || byte === CTRL_D) {
      this.rawLineStart = [];
      this.rawLineLength = 0;
      return;
    }
    if (this.rawLineLength < 2) this.rawLineStart.push(byte);
    this.rawLineLength++;
  }

  /** One byte into the genuine REPL; performs the soft reset it may ask for. */
  private feed(byte: number): void {
    const result = this.mp.replProcessChar(byte);
    if (this.rawMode && byte === CTRL_B) this.rawMode = false;
    else if (!this.rawMode && byte === CTRL_A && this.recentOutput.endsWith(RAW_REPL_BANNER)) this.rawMode = true;
    if (result & PYEXEC_FORCED_EXIT) this.softReset();
  }

  /**
   * The board side of raw-paste (pyexec.c's mp_reader_stdin): window accounting and
   * end/abort handling here, then the collected source runs through the genuine raw REPL.
   */
  private rawPaste(): void {
    this.io.writeRaw([0x52, 0x01, RAW_PASTE_WINDOW & 0xff, RAW_PASTE_WINDOW >> 8, 0x01]);
    this.io.flush();
    const source: number[] = [];
    let windowRemain = RAW_PASTE_WINDOW;
    for (;;) {
      const byte = this.io.readByte();
      if (byte === CTRL_C) {
        // End marker, empty output, then the KeyboardInterrupt raised while reading.
        this.io.writeRaw([CTRL_D, CTRL_D]);
        this.io.writeText('KeyboardInterrupt: \r\n\x04>');
        return;
      }
      if (byte === CTRL_D) break;
      source.push(byte);
      if (--windowRemain === 0) {
        this.io.writeRaw([CTRL_A]);
        this.io.flush();
        windowRemain = RAW_PASTE_WINDOW;
      }
    }
    this.io.writeRaw([CTRL_D]);
    this.io.flush();
    for (const byte of source.length > 0 ? source : [LF]) this.mp.replProcessChar(byte);
    this.okToSwallow = 2;
    this.feed(CTRL_D);
  }

  /** What a board's main.c does when the REPL returns PYEXEC_FORCED_EXIT. */
  private softReset(): void {
    this.io.writeText('MPY: soft reboot\r\n');
    this.io.flush();
    // Heap areas of the old interpreter are never returned: past a size, start afresh.
    if (this.memoryCap.needsFreshInstance()) this.platform.softResetInFreshInstance(this.rawMode);
    this.mp._module.ccall('mp_js_init', 'null', ['number', 'number'], [PYSTACK_WORDS, this.heapBytes]);
    this.mp._module.ccall('proxy_c_init', 'null', [], []);
    this.startInterpreter();
  }

  /** Board support, boot.py, main.py (friendly mode only), then the REPL's banner. */
  private startInterpreter(): void {
    this.platform.installBoardModule();
    this.runPython("__import__('sys').path.insert(0, '/.board')\n__import__('_vb_startup')");
    this.runBootScript('boot.py');
    if (!this.rawMode) this.runBootScript('main.py');
    if (this.rawMode && this.rawModeToRestore) this.restoreRawMode();
    else this.mp.replInit();
    this.io.flush();
  }

  /**
   * A fresh instance starts in friendly mode; one continuing a soft reset from raw
   * mode comes up in raw mode, as the C code's surviving pyexec_mode_kind would have it.
   */
  private restoreRawMode(): void {
    this.rawModeToRestore = false;
    this.okToSwallow = Number.MAX_SAFE_INTEGER; // the friendly banner
    this.mp.replInit();
    this.okToSwallow = 2; // the "\r\n" before the raw banner
    this.mp.replProcessChar(CTRL_A);
  }

  private runBootScript(name: string): void {
    this.runPython(`__import__('_vb_startup').run_script(${JSON.stringify(name)})`);
  }

  private runPython(code: string): void {
    try {
      this.mp.runPython(code);
    } catch (error) {
      this.io.writeText(`virtual board: board support failed: ${(error as Error).message}\r\n`);
    }
    this.io.flush();
  }
}
