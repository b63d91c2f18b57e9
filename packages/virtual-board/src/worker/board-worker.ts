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
import { mountHostFolderAsRoot } from './host-fs';
import type { BoardWorkerData, ResetCause, WorkerMessage } from './protocol';

const PYTHON_SUPPORT_DIR = path.join(__dirname, '..', '..', '..', 'python');
const RESET_CAUSE_CODES: Record<ResetCause, number> = { 'power-on': 1, 'hard-reset': 2, 'machine.reset': 2, wedged: 3, crashed: 3 };

const STDIN_FD = 0;

type ImportFunction = (...args: number[]) => number;
type Instantiate = (source: unknown, imports: Record<string, Record<string, unknown>>) => Promise<unknown>;

/** Hooks the wrapped wasm imports call; filled in once the runtime exists. */
interface ImportHooks {
  pollInterrupt(): void;
  flushOutput(): void;
  beforeStdinRead(): void;
  clock: BoardClock;
}

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
}

/** Wraps the imports of the next WebAssembly instantiation (the package's wasm). */
function interceptWasmImports(hooks: ImportHooks): void {
  const webAssembly = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;
  const instantiate = webAssembly.instantiate;
  webAssembly.instantiate = (source, imports) => {
    const env = imports.env;
    remapErrnoImports(env);
    const wrap = (name: string, before: ((args: number[]) => void) | undefined, after: (() => void) | undefined) => {
      const original = env[name] as ImportFunction;
      env[name] = (...args: number[]) => {
        before?.(args);
        const result = original(...args);
        after?.();
        return result;
      };
    };
    wrap('fd_write', undefined, () => {
      hooks.flushOutput();
      hooks.pollInterrupt();
    });
    wrap('fd_read', ([fd]) => fd === STDIN_FD && hooks.beforeStdinRead(), undefined);
    wrap('mp_js_ticks_ms', () => hooks.pollInterrupt(), undefined);
    env.mp_js_time_ms = () => {
      hooks.pollInterrupt();
      return Date.now() + hooks.clock.offsetMs;
    };
    return instantiate(source, imports);
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
  const interrupts = {
    interruptEnabled: () => runtime?.interruptEnabled() ?? false,
    raiseKeyboardInterrupt: () => mp._module._mp_sched_keyboard_interrupt(),
  };
  const io = new BoardIo(new ByteRing(data.stdinRing), new ByteRing(data.outputRing), interrupts);
  let stdinReadStarting = false;
  interceptWasmImports({
    pollInterrupt: () => io.pollInterrupt(),
    flushOutput: () => io.flush(),
    beforeStdinRead: () => (stdinReadStarting = true),
    clock,
  });

  const { loadMicroPython } = await import('@micropython/micropython-webassembly-pyscript/micropython.mjs');
  const mp = await loadMicroPython({
    heapsize: data.heapBytes,
    linebuffer: false,
    stdout: (bytes) => runtime?.onInterpreterOutput(bytes[0]),
    stderr: (bytes) => runtime?.onInterpreterOutput(bytes[0]),
    // A read blocks for its first byte only, then takes what has already arrived.
    stdin: () => {
      if (!stdinReadStarting) return io.tryReadByte();
      stdinReadStarting = false;
      return io.readByteUnlessInterrupted();
    },
  });
  mountHostFolderAsRoot(mp.FS, data.flashDir, readPythonSupport());

  const installBoardModule = () =>
    mp.registerJsModule(
      '_board',
      createBoardModule({
        name: data.name,
        flashDir: data.flashDir,
        io,
        clock,
        resetCauseCode: RESET_CAUSE_CODES[data.resetCause],
        requestHardReset: () => {
          io.flush();
          post({ type: 'reset-request', timeOffsetMs: clock.offsetMs });
          for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
        },
      }),
    );
  runtime = new BoardRuntime(mp, io, data.heapBytes, installBoardModule);
  io.writeText(data.resetBanner);
  post({ type: 'ready' });
  runtime.boot();
  runtime.runForever();
}

main().catch((error: Error) => post({ type: 'fatal', message: error.stack ?? String(error) }));
