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
import type { BoardWorkerData, ResetCause, WorkerMessage } from './worker/protocol';

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

/** One running worker and the rings it was given. */
interface BoardCpu {
  worker: Worker;
  stdin: ByteRing;
  output: ByteRing;
  /** Stream position of the oldest Ctrl-C delivered and not yet taken by the board. */
  pendingInterrupt?: { position: number; since: number };
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
  private cpu: BoardCpu | undefined;
  private resetCause: ResetCause = 'power-on';
  private cpuReady: Promise<void> = Promise.resolve();
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
    const cpu = this.cpu;
    this.cpu = undefined;
    if (cpu) await cpu.worker.terminate();
  }

  private async reset(cause: ResetCause, resetBanner: string): Promise<void> {
    const old = this.cpu;
    this.cpu = undefined;
    this.hostToBoard.clear();
    if (old) await old.worker.terminate();
    if (this.stopped) return;
    this.resetCause = cause;
    await this.powerOn({ resetBanner });
    for (const listener of this.resetListeners) listener(cause);
  }

  /** A soft reset the old CPU could not do in place: same rings (no byte lost), same mode. */
  private async continueSoftReset(old: BoardCpu, rawMode: boolean): Promise<void> {
    this.cpu = undefined;
    await old.worker.terminate();
    if (this.stopped) return;
    await this.powerOn({ resetBanner: '', rings: old, softResetIntoRawMode: rawMode });
  }

  private powerOn(start: { resetBanner: string; rings?: { stdin: ByteRing; output: ByteRing }; softResetIntoRawMode?: boolean }): Promise<void> {
    const stdin = start.rings?.stdin ?? ByteRing.create(STDIN_RING_BYTES);
    const output = start.rings?.output ?? ByteRing.create(OUTPUT_RING_BYTES);
    const workerData: BoardWorkerData = {
      name: this.name,
      flashDir: this.flashDir,
      heapBytes: this.heapBytes,
      stdinRing: stdin.buffer,
      outputRing: output.buffer,
      resetCause: this.resetCause,
      resetBanner: start.resetBanner,
      timeOffsetMs: this.timeOffsetMs,
      softResetIntoRawMode: start.softResetIntoRawMode,
    };
    const worker = new Worker(WORKER_SCRIPT, { workerData });
    const cpu: BoardCpu = { worker, stdin, output };
    this.cpuReady = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') {
          this.cpu = cpu;
          void this.pumpOutput(cpu);
          resolve();
        } else if (message.type === 'reset-request') {
          this.timeOffsetMs = message.timeOffsetMs;
          void this.reset('machine.reset', '');
        } else if (message.type === 'soft-reset-request') {
          this.timeOffsetMs = message.timeOffsetMs;
          void this.continueSoftReset(cpu, message.rawMode);
        } else if (message.type === 'fatal') {
          reject(new Error(`virtual board ${this.name} failed to start: ${message.message}`));
        }
      });
      worker.on('error', (error) => {
        if (this.cpu !== cpu) return reject(error);
        void this.reset('crashed', `\r\nvirtual board: the interpreter crashed (${error.message}); hard reset\r\n`);
      });
    });
    return this.cpuReady;
  }

  /** Moves the board's output into the board→host link, as fast as the link takes it. */
  private async pumpOutput(cpu: BoardCpu): Promise<void> {
    while (this.cpu === cpu) {
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
      if (at >= 0) cpu.pendingInterrupt = { position: (start + at) | 0, since: performance.now() };
    }
    return accepted;
  }

  private async whenBoardCanReceive(): Promise<void> {
    const cpu = this.cpu;
    if (!cpu) return this.cpuReady.catch(() => undefined);
    await cpu.stdin.whenSpace();
  }

  /**
   * A board interrupts code by polling; pure compute loops never poll. A Ctrl-C the
   * board has not even taken from its receive buffer within wedgeTimeoutMs means it
   * is stuck: reset it, saying so, as a watchdog would.
   */
  private checkInterruptAnswered(): void {
    const cpu = this.cpu;
    const pending = cpu?.pendingInterrupt;
    if (!cpu || !pending) return;
    if (((cpu.stdin.readIndex - pending.position) | 0) > 0) {
      cpu.pendingInterrupt = undefined;
      return;
    }
    if (performance.now() - pending.since < this.wedgeTimeoutMs) return;
    const seconds = (this.wedgeTimeoutMs / 1000).toFixed(1);
    void this.reset('wedged', `\r\nvirtual board: Ctrl-C not answered for ${seconds} s (a compute loop cannot be interrupted); hard reset\r\n`);
  }
}
