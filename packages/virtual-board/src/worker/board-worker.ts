/**
 * Entry point of the worker thread that is the board's CPU. It loads the MicroPython
 * WebAssembly package with its imports wrapped (see wasm-imports.ts), mounts the flash
 * folder as `/`, boots and then runs the REPL loop forever; the main thread resets the
 * board by terminating the worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { ByteRing } from '../byte-ring';
import { BoardIo } from './board-io';
import { createBoardModule, type BoardClock } from './board-module';
import { BoardRuntime } from './board-runtime';
import { mountHostFolderAsRoot } from './host-fs';
import { MemoryCap } from './memory-cap';
import type { BoardWorkerData, ResetCause, WorkerMessage } from './protocol';
import { interceptWasmImports } from './wasm-imports';

const PYTHON_SUPPORT_DIR = path.join(__dirname, '..', '..', '..', 'python');
const RESET_CAUSE_CODES: Record<ResetCause, number> = { 'power-on': 1, 'hard-reset': 2, 'machine.reset': 2, wedged: 3, crashed: 3 };

function post(message: WorkerMessage): void {
  parentPort!.postMessage(message);
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
