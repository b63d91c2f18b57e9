/**
 * A virtual board as a serial device: a pseudo-terminal whose slave is reachable
 * through a symlink (like socat's `link=`). Serial clients may open and close it at
 * any time; a slave fd held here keeps the master alive in between, and board output
 * nobody reads is dropped past a bound, as a UART with no listener would lose it.
 */
import * as fs from 'node:fs';
import * as tty from 'node:tty';
import type { VirtualBoard } from '../virtual-board';
import { hangUpPty, openRawPty } from './native-pty';

/** Board output queued for the pty beyond this is dropped (no client is reading). */
const UNREAD_OUTPUT_LIMIT = 64 * 1024;

export class PtyPort {
  private constructor(
    readonly linkPath: string,
    private readonly master: tty.ReadStream,
    private readonly slaveFd: number,
    private readonly unsubscribe: () => void,
  ) {}

  static open(board: VirtualBoard, linkPath: string): PtyPort {
    const pty = openRawPty();
    replaceSymlink(pty.slavePath, linkPath);
    const master = new tty.ReadStream(pty.masterFd);
    const unsubscribe = board.onData((chunk) => {
      if (master.writableLength < UNREAD_OUTPUT_LIMIT) master.write(chunk);
    });
    master.on('data', (chunk: Buffer) => {
      master.pause();
      board.write(chunk).then(
        () => master.resume(),
        () => undefined, // the board was stopped: nothing more to deliver
      );
    });
    master.on('error', () => undefined); // EIO cannot happen while we hold the slave; nothing to report otherwise
    return new PtyPort(linkPath, master, pty.slaveFd, unsubscribe);
  }

  /**
   * What an unplugged USB serial device does to the programs that had it open: their
   * reads return end of file from then on. New opens of the port work again (a replug).
   */
  hangUp(): void {
    hangUpPty(this.slaveFd);
  }

  close(): void {
    this.unsubscribe();
    fs.rmSync(this.linkPath, { force: true });
    this.master.destroy();
    fs.closeSync(this.slaveFd);
  }
}

function replaceSymlink(target: string, linkPath: string): void {
  const existing = fs.lstatSync(linkPath, { throwIfNoEntry: false });
  if (existing && !existing.isSymbolicLink()) throw new Error(`${linkPath} exists and is not a symlink: choose another --pty path`);
  const temporary = `${linkPath}.${process.pid}.tmp`;
  fs.symlinkSync(target, temporary);
  fs.renameSync(temporary, linkPath);
}
