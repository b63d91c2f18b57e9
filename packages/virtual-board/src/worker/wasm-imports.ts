/**
 * The board's view of its host, at the wasm import boundary: the package's wasm is
 * instantiated with some imports wrapped or replaced, so that
 * - stdout/stderr bytes are taken straight from wasm memory, in whole buffers;
 * - stdin reads block on the link (the build's own stdin is a stub) and poll() on stdin
 *   tells whether input waits;
 * - received Ctrl-C is checked for wherever the interpreter calls out to JS;
 * - syscalls report board errno numbers (errno.ts);
 * - the wall clock follows machine.RTC, and memory growth stops at the cap;
 * - the machine name in the banner and sys.implementation._machine is this board's.
 */
import type { BoardClock } from './board-module';
import { remapErrnoImports } from './errno';
import type { MemoryCap } from './memory-cap';

const STDIN_FD = 0;
const STDOUT_FD = 1;
const STDERR_FD = 2;
const POLLFD_BYTES = 8;
const INVOKE_POLL_INTERVAL = 1024;
const POLLIN = 1;
const WASI_EINTR = 27;

/**
 * The build's machine name in the wasm's data: the banner's tail, and (from its third byte)
 * sys.implementation._machine, whose length is stored elsewhere: the replacement, what a
 * board says there ("Raspberry Pi Pico with RP2040"), must have the same length.
 */
const PACKAGE_MACHINE = '; JS with Emscripten\0';
const BOARD_MACHINE = '; wasm virtual board\0';

type ImportFunction = (...args: number[]) => number;
type Instantiate = (source: unknown, imports: Record<string, Record<string, unknown>>) => Promise<unknown>;

/** Hooks the wrapped wasm imports call; filled in once the runtime exists. */
export interface ImportHooks {
  pollInterrupt(): void;
  /** Bytes the interpreter writes to stdout or stderr. */
  output(bytes: Uint8Array): void;
  /** A read of stdin by the program: blocks, returns at most `max` bytes (none when interrupted). */
  readStdin(max: number): Uint8Array;
  memoryCap: MemoryCap;
  /** True when received bytes wait to be read (what poll() reports for stdin). */
  stdinReady(): boolean;
  clock: BoardClock;
}

/** Wraps the imports of the next WebAssembly instantiation (the package's wasm). */
export function interceptWasmImports(hooks: ImportHooks): void {
  const webAssembly = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;
  const instantiate = webAssembly.instantiate;
  let memory: { buffer: ArrayBuffer } | undefined;
  webAssembly.instantiate = async (source, imports) => {
    const env = imports.env;
    remapErrnoImports(env);
    const wrap = (name: string, before: () => void) => {
      const original = env[name] as ImportFunction;
      env[name] = (...args: number[]) => {
        before();
        return original(...args);
      };
    };
    const iovecs = function* (iov: number, iovcnt: number) {
      for (let i = 0; i < iovcnt; i++) {
        const words = new Uint32Array(memory!.buffer);
        yield { pointer: words[(iov >> 2) + 2 * i], length: words[(iov >> 2) + 2 * i + 1] };
      }
    };
    const readFd = env.fd_read as ImportFunction;
    env.fd_read = (fd: number, iov: number, iovcnt: number, pnum: number) => {
      if (fd !== STDIN_FD) return readFd(fd, iov, iovcnt, pnum);
      let read = 0;
      for (const { pointer, length } of iovecs(iov, iovcnt)) {
        if (length === 0) continue;
        const bytes = hooks.readStdin(length);
        // nothing read means interrupted (a board's stdin never ends): the read raises
        // KeyboardInterrupt, as on a board, instead of returning b'' like end of input
        if (bytes.length === 0) return WASI_EINTR;
        new Uint8Array(memory!.buffer, pointer, bytes.length).set(bytes);
        read += bytes.length;
        break; // one blocking read per call, as a terminal gives
      }
      new Uint32Array(memory!.buffer)[pnum >> 2] = read;
      return 0;
    };
    const writeFd = env.fd_write as ImportFunction;
    env.fd_write = (fd: number, iov: number, iovcnt: number, pnum: number) => {
      if (fd !== STDOUT_FD && fd !== STDERR_FD) return writeFd(fd, iov, iovcnt, pnum);
      let written = 0;
      for (const { pointer, length } of iovecs(iov, iovcnt)) {
        hooks.output(new Uint8Array(memory!.buffer, pointer, length));
        written += length;
      }
      new Uint32Array(memory!.buffer)[pnum >> 2] = written;
      hooks.pollInterrupt();
      return 0;
    };
    // poll() on stdin says whether input is waiting (Emscripten's terminal always says yes).
    const poll = env.__syscall_poll as ImportFunction;
    env.__syscall_poll = (fds: number, nfds: number, timeout: number) => {
      let ready = poll(fds, nfds, timeout);
      if (ready < 0) return ready;
      const words = new Int32Array(memory!.buffer);
      const halves = new Int16Array(memory!.buffer);
      for (let i = 0; i < nfds; i++) {
        const entry = fds + POLLFD_BYTES * i;
        if (words[entry >> 2] !== STDIN_FD) continue;
        const before = halves[(entry + 6) >> 1];
        const after = hooks.stdinReady() ? before | (halves[(entry + 4) >> 1] & POLLIN) : before & ~POLLIN;
        halves[(entry + 6) >> 1] = after;
        ready += Number(after !== 0) - Number(before !== 0);
      }
      return ready;
    };
    wrap('mp_js_ticks_ms', () => hooks.pollInterrupt());
    // Emscripten routes calls made inside functions that use setjmp (MicroPython's
    // nlr_push, e.g. the bytecode VM) through these invoke_* trampolines: checking for
    // Ctrl-C on every INVOKE_POLL_INTERVAL-th of them makes compute loops that call
    // anything (arithmetic, attributes, functions) interruptible.
    let invokes = 0;
    for (const name of Object.keys(env).filter((key) => key.startsWith('invoke_'))) {
      wrap(name, () => {
        if (++invokes % INVOKE_POLL_INTERVAL === 0) hooks.pollInterrupt();
      });
    }
    const resizeHeap = env.emscripten_resize_heap as ImportFunction;
    env.emscripten_resize_heap = (size: number) => (hooks.memoryCap.mayGrowTo(size) ? resizeHeap(size) : 0);
    env.mp_js_time_ms = () => {
      hooks.pollInterrupt();
      return Date.now() + hooks.clock.offsetMs;
    };
    const result = (await instantiate(withBoardMachineName(source), imports)) as { instance: { exports: { memory: { buffer: ArrayBuffer } } } };
    memory = result.instance.exports.memory;
    hooks.memoryCap.attach(memory);
    return result;
  };
}

/** A copy of the wasm binary whose machine name reads BOARD_MACHINE. */
function withBoardMachineName(source: unknown): unknown {
  if (!(source instanceof Uint8Array) || BOARD_MACHINE.length !== PACKAGE_MACHINE.length) return source;
  const at = Buffer.from(source.buffer, source.byteOffset, source.byteLength).indexOf(PACKAGE_MACHINE, 0, 'latin1');
  if (at < 0) return source;
  const patched = Uint8Array.from(source);
  patched.set(Buffer.from(BOARD_MACHINE, 'latin1'), at);
  return patched;
}
