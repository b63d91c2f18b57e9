import type { VirtualBoard, VirtualBoardOptions as BoardOptions } from '@ide49/virtual-board';
import { TransportListeners } from './listeners';
import { TransportGoneError, type Transport } from './transport';

/** Options of the board behind `virtual://NAME` (its name comes from the URL). */
export type VirtualBoardOptions = Omit<BoardOptions, 'name'>;

/**
 * Loaded on first use: the wasm interpreter is only paid for by those who open a
 * virtual board, not by every CLI call on a real one.
 */
function startVirtualBoard(options: BoardOptions): Promise<VirtualBoard> {
  const board = require('@ide49/virtual-board') as typeof import('@ide49/virtual-board');
  return board.VirtualBoard.start(options);
}

/** Names of the virtual boards this process has open: one board per name. */
const openBoards = new Set<string>();

/**
 * `virtual://NAME`: the virtual board (real MicroPython in a worker thread) in this
 * process. Opening starts it (its flash lives in the board's default flash folder unless
 * given); closing stops it.
 */
export class VirtualTransport extends TransportListeners implements Transport {
  readonly maxWriteSize = Infinity;
  private board: VirtualBoard | undefined;
  private unsubscribeBoard: (() => void) | undefined;

  constructor(
    readonly url: string,
    readonly name: string,
    private readonly boardOptions: VirtualBoardOptions = {},
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.board !== undefined;
  }

  async open(): Promise<void> {
    if (openBoards.has(this.name)) throw new Error(`${this.url} is already open in this process; close it first or use another name`);
    openBoards.add(this.name);
    try {
      this.board = await startVirtualBoard({ name: this.name, ...this.boardOptions });
    } catch (error) {
      openBoards.delete(this.name);
      throw error;
    }
    this.unsubscribeBoard = this.board.onData((chunk) => this.emitData(chunk));
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.board) throw new TransportGoneError(this.url, `${this.url} is not open`);
    await this.board.write(data);
  }

  /** The board's reset button: the interpreter restarts, runs boot.py and main.py. */
  async hardReset(): Promise<void> {
    if (!this.board) throw new TransportGoneError(this.url, `${this.url} is not open`);
    await this.board.hardReset();
  }

  async close(): Promise<void> {
    const board = this.board;
    if (!board) return;
    this.board = undefined;
    this.unsubscribeBoard?.();
    openBoards.delete(this.name);
    await board.stop();
  }
}
