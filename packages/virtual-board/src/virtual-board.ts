/**
 * A MicroPython board in software: the genuine interpreter (WebAssembly) in a worker
 * thread, reached through a modelled serial link. A wedged interpreter never blocks
 * the host: resets terminate the worker and start a fresh one on the same flash folder.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ByteRing } from './byte-ring';
import { defaultFlashDir } from './flash-dir';
import { LinkDirection, resolveLinkSettings, type LinkPreset, type LinkSettings } from './link';
import { ACTIVITY_HEARTBEAT, ACTIVITY_SLOTS, ACTIVITY_WAITING, type BoardWorkerData, type ResetCause, type WorkerMessage } from './worker/protocol';

export type { ResetCause } from './worker/protocol';

export interface VirtualBoardOptions {
  name: string;
  /** Folder holding the board's files (default: defaultFlashDir(name)). */
  flashDir?: string;
  link?: LinkPreset | LinkSettings;
  /** MicroPython heap (default 192 KiB, a small board's). */
  heapBytes?: number;
  /** How long a Ctrl-C may go unanswered before the board is hard-reset (default 3000 ms). */
  wedgeTimeoutMs?: number;
}

export const DEFAULT_HEAP_BYTES = 192 * 1024;
export const DEFAULT_WEDGE_TIMEOUT_MS = 3000;
const STDIN_RING_BYTES = 4096;
const OUTPUT_RING_BYTES = 16384;
const WATCHDOG_PERIOD_MS = 100;
const CTRL_C = 0x03;
const WORKER_SCRIPT = path.join(__dirname, 'worker', 'board-worker.js');

/** One running worker and the shared memory it was given. */
interface BoardCpu {
  worker: Worker;
  stdin: ByteRing;
  output: ByteRing;
  activity: Int32Array;
  /** The oldest Ctrl-C delivered and not yet taken by the board, and since when it is ignored. */
  pendingInterrupt?: { position: number; since: number; heartbeat: number };
  /** machine.reset(): what the board printed before it goes out before the next boot's output. */
  flushBeforeReset?: boolean;
}

interface PowerOn {
  resetBanner: string;
  /** A soft reset continued in a fresh worker keeps the rings (no byte lost) and the REPL mode. */
  continuing?: { cpu: BoardCpu; rawMode: boolean };
}

export class VirtualBoard {
  readonly name: string;
  readonly flashDir: string;
  private readonly hostToBoard: LinkDirection;
  private readonly boardToHost: LinkDirection;
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly resetListeners = new Set<(cause: ResetCause) => void>();
  private readonly wedgeTimeoutMs: number;
  private readonly heapBytes: number;
  /** The CPU taking bytes, once its worker reported ready. */
  private cpu: BoardCpu | undefined;
  /** The newest worker, ready or still starting (stop() must end it either way). */
  private worker: Worker | undefined;
  private cpuArrived = deferred();
  /** Resets run one after another (a watchdog reset may meet a machine.reset()). */
  private lifecycle: Promise<void> = Promise.resolve();
  /** The output pumps of successive CPUs, one after the other. */
  private outputPumps: Promise<void> = Promise.resolve();
  private resetCause: ResetCause = 'power-on';
  private watchdog: NodeJS.Timeout | undefined;
  private timeOffsetMs = 0;
  private stopped = false;

  private constructor(options: VirtualBoardOptions) {
    this.name = options.name;
    this.flashDir = options.flashDir ?? defaultFlashDir(options.name);
    this.heapBytes = options.heapBytes ?? DEFAULT_HEAP_BYTES;
    this.wedgeTimeoutMs = options.wedgeTimeoutMs ?? DEFAULT_WEDGE_TIMEOUT_MS;
    const link = resolveLinkSettings(options.link);
    this.hostToBoard = new LinkDirection(link, {
      accept: (chunk) => this.acceptFromHost(chunk),
      whenReady: () => this.whenBoardCanReceive(),
    });
    this.boardToHost = new LinkDirection(link, {
      accept: (chunk) => {
        for (const listener of this.dataListeners) listener(chunk);
        return chunk.length;
      },
      whenReady: () => Promise.resolve(),
    });
  }

  /** Resolves once the worker runs and the board is booting (boot output may still be flowing). */
  static async start(options: VirtualBoardOptions): Promise<VirtualBoard> {
    const board = new VirtualBoard(options);
    await board.powerOn({ resetBanner: '' });
    board.watchdog = setInterval(() => board.checkInterruptAnswered(), WATCHDOG_PERIOD_MS);
    board.watchdog.unref();
    return board;
  }

  /** Host → board; resolves when the link has accepted the bytes (back-pressure). */
  write(data: Uint8Array): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`virtual board ${this.name} is stopped`));
    return this.hostToBoard.send(data);
  }

  /** Board → host bytes, after the link's delay. Returns an unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  /** Called after every hard reset (whatever caused it), once the new CPU runs. */
  onReset(listener: (cause: ResetCause) => void): () => void {
    this.resetListeners.add(listener);
    return () => this.resetListeners.delete(listener);
  }

  /** Like pressing the reset button: the board boots again and prints its banner. */
  hardReset(): Promise<void> {
    return this.reset('hard-reset', '');
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    this.hostToBoard.close();
    this.boardToHost.close();
    this.cpu = undefined;
    this.cpuArrived.resolve();
    await this.worker?.terminate();
  }

  private reset(cause: ResetCause, resetBanner: string): Promise<void> {
    this.detachCpu();
    this.hostToBoard.clear(); // bytes on their way into a board that resets are lost; later ones wait for it
    return this.inTurn(async () => {
      await this.takeCpuAway();
      this.resetCause = cause;
      await this.powerOn({ resetBanner });
      for (const listener of this.resetListeners) listener(cause);
    });
  }

  private continueSoftReset(cpu: BoardCpu, rawMode: boolean): Promise<void> {
    this.detachCpu();
    return this.inTurn(async () => {
      await this.takeCpuAway();
      await this.powerOn({ resetBanner: '', continuing: { cpu, rawMode } });
    });
  }

  private inTurn(step: () => Promise<void>): Promise<void> {
    const turn = this.lifecycle.then(() => (this.stopped ? undefined : step()));
    this.lifecycle = turn.catch(() => undefined);
    return turn;
  }

  /** From now on, input waits for the next CPU (and its output pump stops waiting for more). */
  private detachCpu(): void {
    if (!this.cpu) return;
    this.cpu.output.wake();
    this.cpu = undefined;
    this.cpuArrived = deferred();
  }

  private async takeCpuAway(): Promise<void> {
    this.detachCpu();
    await this.worker?.terminate();
  }

  private powerOn(start: PowerOn): Promise<void> {
    const old = start.continuing?.cpu;
    const stdin = old?.stdin ?? ByteRing.create(STDIN_RING_BYTES);
    const output = old?.output ?? ByteRing.create(OUTPUT_RING_BYTES);
    const activity = new SharedArrayBuffer(ACTIVITY_SLOTS * Int32Array.BYTES_PER_ELEMENT);
    const workerData: BoardWorkerData = {
      name: this.name,
      flashDir: this.flashDir,
      heapBytes: this.heapBytes,
      stdinRing: stdin.buffer,
      outputRing: output.buffer,
      activity,
      resetCause: this.resetCause,
      resetBanner: start.resetBanner,
      timeOffsetMs: this.timeOffsetMs,
      softResetIntoRawMode: start.continuing?.rawMode,
    };
    const worker = new Worker(WORKER_SCRIPT, { workerData });
    this.worker = worker;
    const cpu: BoardCpu = { worker, stdin, output, activity: new Int32Array(activity) };
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          if (this.stopped) return resolve();
          this.cpu = cpu;
          this.cpuArrived.resolve();
          // after the previous CPU's output (a board flushes before machine.reset)
          this.outputPumps = this.outputPumps.then(() => this.pumpOutput(cpu)).catch(() => undefined);
          resolve();
        } else if (message.type === 'reset-request') {
          this.timeOffsetMs = message.timeOffsetMs;
          cpu.flushBeforeReset = true;
          void this.reset('machine.reset', '');
        } else if (message.type === 'soft-reset-request') {
          this.timeOffsetMs = message.timeOffsetMs;
          void this.continueSoftReset(cpu, message.rawMode);
        } else if (message.type === 'fatal') {
          reject(new Error(`virtual board ${this.name} failed to start: ${message.message}`));
        }
      });
      worker.on('exit', () => (this.stopped ? resolve() : reject(new Error(`virtual board ${this.name}: its worker exited while starting`))));
      worker.on('error', (error) => {
        if (this.cpu !== cpu) return reject(error);
        void this.reset('crashed', `\r\nvirtual board: the interpreter crashed (${error.message}); hard reset\r\n`);
      });
    });
  }

  /** Moves the board's output into the board→host link, as fast as the link takes it. */
  private async pumpOutput(cpu: BoardCpu): Promise<void> {
    while (this.cpu === cpu || (cpu.flushBeforeReset && cpu.output.available() > 0 && !this.stopped)) {
      if (cpu.output.available() === 0) {
        await cpu.output.whenData();
        continue;
      }
      await this.boardToHost.send(cpu.output.read());
    }
  }

  private acceptFromHost(chunk: Uint8Array): number {
    const cpu = this.cpu;
    if (!cpu) return 0;
    const start = cpu.stdin.writeIndex;
    const accepted = cpu.stdin.write(chunk);
    if (!cpu.pendingInterrupt) {
      const at = chunk.subarray(0, accepted).indexOf(CTRL_C);
      if (at >= 0) cpu.pendingInterrupt = { position: (start + at) | 0, since: performance.now(), heartbeat: Atomics.load(cpu.activity, ACTIVITY_HEARTBEAT) };
    }
    return accepted;
  }

  /** Resolves when the board may take more input: space in its ring, or a CPU again after a reset. */
  private async whenBoardCanReceive(): Promise<void> {
    const cpu = this.cpu;
    if (!cpu) return this.cpuArrived.promise;
    await cpu.stdin.whenSpace();
  }

  /**
   * A board interrupts code by polling; pure compute loops never poll. A Ctrl-C the
   * board has not taken from its receive buffer, while it neither waited nor called
   * into the runtime for wedgeTimeoutMs, means it is stuck: reset it, saying so, as a
   * watchdog would. (A board that ignores Ctrl-C by choice, micropython.kbd_intr(-1),
   * still waits or calls into the runtime, and is left alone.)
   */
  private checkInterruptAnswered(): void {
    const cpu = this.cpu;
    const pending = cpu?.pendingInterrupt;
    if (!cpu || !pending) return;
    if (((cpu.stdin.readIndex - pending.position) | 0) > 0) {
      cpu.pendingInterrupt = undefined;
      return;
    }
    const heartbeat = Atomics.load(cpu.activity, ACTIVITY_HEARTBEAT);
    if (heartbeat !== pending.heartbeat || Atomics.load(cpu.activity, ACTIVITY_WAITING) === 1) {
      pending.heartbeat = heartbeat;
      pending.since = performance.now();
      return;
    }
    if (performance.now() - pending.since < this.wedgeTimeoutMs) return;
    cpu.pendingInterrupt = undefined;
    const seconds = (this.wedgeTimeoutMs / 1000).toFixed(1);
    void this.reset('wedged', `\r\nvirtual board: Ctrl-C not answered for ${seconds} s (a compute loop cannot be interrupted); hard reset\r\n`);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
