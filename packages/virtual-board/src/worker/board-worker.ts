/**
 * Entry point of the worker thread that is the board's CPU. It loads the MicroPython
 * WebAssembly package with its imports wrapped (board errno numbers, Ctrl-C polling,
 * blocking stdin, the RTC offset), mounts the flash folder as `/`, boots and then runs
 * the REPL loop forever; the main thread resets the board by terminating the worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ByteRing } from '../byte-ring';
import { BoardIo } from './board-io';
import { createBoardModule, type BoardClock } from './board-module';
import { BoardRuntime } from './board-runtime';
import { remapErrnoImports } from './errno';
import { MemoryCap } from './memory-cap';
import { mountHostFolderAsRoot } from './host-fs';
import type { BoardWorkerData, ResetCause, WorkerMessage } from './protocol';

const PYTHON_SUPPORT_DIR = path.join(__dirname, '..', '..', '..', 'python');
const RESET_CAUSE_CODES: Record<ResetCause, number> = { 'power-on': 1, 'hard-reset': 2, 'machine.reset': 2, wedged: 3, crashed: 3 };

const STDIN_FD = 0;
const STDOUT_FD = 1;
const STDERR_FD = 2;
const POLLFD_BYTES = 8;
const INVOKE_POLL_INTERVAL = 1024;
const POLLIN = 1;

type ImportFunction = (...args: number[]) => number;
type Instantiate = (source: unknown, imports: Record<string, Record<string, unknown>>) => Promise<unknown>;

/** Hooks the wrapped wasm imports call; filled in once the runtime exists. */
interface ImportHooks {
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

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
}

/**
 * Wraps the imports of the next WebAssembly instantiation (the package's wasm). Writes
 * to stdout/stderr are taken straight from the wasm memory, in whole buffers, rather
 * than byte by byte through Emscripten's terminal device.
 */
function interceptWasmImports(hooks: ImportHooks): void {
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
    const result = (await instantiate(source, imports)) as { instance: { exports: { memory: { buffer: ArrayBuffer } } } };
    memory = result.instance.exports.memory;
    hooks.memoryCap.attach(memory);
    return result;
  };
}

function readPythonSupport(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of fs.readdirSync(PYTHON_SUPPORT_DIR)) {
    if (name.endsWith('.py')) files.set(name, fs.readFileSync(path.join(PYTHON_SUPPORT_DIR, name), 'utf8'));
  }
  return files;
}

async function main(): Promise<void> {
  const data = workerData as BoardWorkerData;
  const clock: BoardClock = { offsetMs: data.timeOffsetMs };
  let runtime: BoardRuntime | undefined;
  const memoryCap = new MemoryCap();
  const interrupts = {
    interruptEnabled: () => runtime?.interruptEnabled() ?? false,
    raiseKeyboardInterrupt: () => mp._module._mp_sched_keyboard_interrupt(),
  };
  const io = new BoardIo(new ByteRing(data.stdinRing), new ByteRing(data.outputRing), new Int32Array(data.activity), interrupts);
  interceptWasmImports({
    pollInterrupt: () => io.pollInterrupt(),
    output: (bytes) => {
      runtime?.onInterpreterOutput(bytes);
      io.flush();
    },
    readStdin: (max) => io.readForProgram(max),
    stdinReady: () => io.hasInput(),
    memoryCap,
    clock,
  });

  const { loadMicroPython } = await import('@micropython/micropython-webassembly-pyscript/micropython.mjs');
  const mp = await loadMicroPython({ heapsize: data.heapBytes, linebuffer: false });
  mountHostFolderAsRoot(mp.FS, data.flashDir, readPythonSupport());

  const stopHere = (message: WorkerMessage): never => {
    io.flush();
    post(message);
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until terminated
  };
  runtime = new BoardRuntime(mp, io, data.heapBytes, memoryCap, {
    installBoardModule: () =>
      mp.registerJsModule(
        '_board',
        createBoardModule({
          name: data.name,
          flashDir: data.flashDir,
          io,
          clock,
          resetCauseCode: RESET_CAUSE_CODES[data.resetCause],
          requestHardReset: () => stopHere({ type: 'reset-request', timeOffsetMs: clock.offsetMs }),
        }),
      ),
    softResetInFreshInstance: (rawMode) => stopHere({ type: 'soft-reset-request', timeOffsetMs: clock.offsetMs, rawMode }),
  });
  io.writeText(data.resetBanner);
  post({ type: 'ready' });
  if (data.softResetIntoRawMode === undefined) runtime.boot();
  else runtime.continueSoftReset(data.softResetIntoRawMode);
  runtime.runForever();
}

main().catch((error: Error) => post({ type: 'fatal', message: error.stack ?? String(error) }));
