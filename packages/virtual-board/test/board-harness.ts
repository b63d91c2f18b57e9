/** Starts boards on temporary flash folders and reads their output byte-exactly. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VirtualBoard, type VirtualBoardOptions } from '../src';

export const RAW_BANNER = '\r\nraw REPL; CTRL-B to exit\r\n>';
export const FRIENDLY_BANNER = '\r\nMicroPython v1.27.0 on 2025-12-10; wasm virtual board\r\nType "help()" for more information.\r\n>>> ';

export function temporaryFlashDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vb-flash-'));
}

/** Everything a board sent, consumed by readUntil as a serial client would read it. */
export class Transcript {
  private text = '';
  private waiter: (() => void) | undefined;

  constructor(board: VirtualBoard) {
    board.onData((chunk) => {
      this.text += Buffer.from(chunk).toString('latin1');
      this.waiter?.();
    });
  }

  /** Resolves with all output up to and including `marker`; rejects after timeoutMs. */
  async readUntil(marker: string, timeoutMs = 10000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let searchFrom = 0;
    for (;;) {
      const at = this.text.indexOf(marker, searchFrom);
      searchFrom = Math.max(0, this.text.length - marker.length + 1);
      if (at >= 0) {
        const taken = this.text.slice(0, at + marker.length);
        this.text = this.text.slice(at + marker.length);
        return taken;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`board did not send ${JSON.stringify(marker)} within ${timeoutMs} ms; got ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Output received so far and not yet consumed, after a quiet period. */
  async drain(quietMs = 100): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const taken = this.text;
    this.text = '';
    return taken;
  }
}

export interface TestBoard {
  board: VirtualBoard;
  out: Transcript;
  flashDir: string;
  send(text: string): Promise<void>;
  /** Runs code through the raw REPL (the board must be at the raw prompt); returns [stdout, stderr]. */
  exec(code: string): Promise<[string, string]>;
  stop(): Promise<void>;
}

export async function startTestBoard(options: Partial<VirtualBoardOptions> = {}): Promise<TestBoard> {
  const flashDir = options.flashDir ?? temporaryFlashDir();
  const board = await VirtualBoard.start({ name: 'test', link: 'none', ...options, flashDir });
  const out = new Transcript(board);
  await out.readUntil('>>> ');
  const send = (text: string) => board.write(Buffer.from(text, 'latin1'));
  return {
    board,
    out,
    flashDir,
    send,
    exec: async (code) => {
      await send(`${code}\x04`);
      await out.readUntil('OK');
      const stdout = (await out.readUntil('\x04')).slice(0, -1);
      const stderr = (await out.readUntil('\x04>')).slice(0, -2);
      return [stdout, stderr];
    },
    stop: () => board.stop(),
  };
}

export async function startInRawRepl(options: Partial<VirtualBoardOptions> = {}): Promise<TestBoard> {
  const t = await startTestBoard(options);
  await t.send('\x01');
  await t.out.readUntil(RAW_BANNER);
  return t;
}
