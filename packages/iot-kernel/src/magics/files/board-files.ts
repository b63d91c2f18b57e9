import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BoardFiles, DeviceSession } from '@ide49/device';
import { deviceLibrary } from '../../board/device-library';
import { requireBoard } from '../../board/device-board';
import { CellError, type CellContext } from '../magic';
import type { KernelServices } from '../services';

/** What a file magic gets: the cell (output, stop button, notebook folder) and the kernel's services. */
export type FileMagicContext = CellContext & { services: KernelServices };

export const LIST_HINT = '%rlist -r :/ lists the files on the board.';

/** A board path word: it must start with ':' (so a host path is never taken for a board path by mistake). */
export function boardPath(word: string, usage: string): string {
  if (!word.startsWith(':')) throw new CellError('UsageError', `${word} is not a board path: board paths start with ':' (e.g. :/main.py). Usage: ${usage}`);
  return deviceLibrary().normaliseBoardPath(word.slice(1));
}

/**
 * A host path word made absolute against the notebook's folder, with ~/ as the home folder
 * (as completion offers it); a trailing '/' (meaning "into this folder") is kept.
 */
export function hostPath(context: Pick<CellContext, 'cwd'>, word: string): string {
  const absolute = word === '~' ? homedir() : word.startsWith('~/') ? join(homedir(), word.slice(2)) : resolve(context.cwd, word);
  return word.endsWith('/') && !absolute.endsWith('/') ? `${absolute}/` : absolute;
}

/** A source or destination word of %cp: board paths keep their ':', host paths are made absolute. */
export function locationWord(context: FileMagicContext, word: string): string {
  return word.startsWith(':') ? word : hostPath(context, word);
}

/**
 * Runs a file operation on the connected board with the cell's stop button, and turns what
 * can go wrong into errors that say what to do next. A stop ends the cell with
 * KeyboardInterrupt; the library never leaves a half-written file under its real name.
 */
export async function withBoardFiles<T>(context: FileMagicContext, operation: (files: BoardFiles) => Promise<T>): Promise<T> {
  const board = requireBoard(context.services);
  try {
    // the board's presence rules apply as for cells: waits for a board that is coming back, a lost link fails cleanly
    const { BoardFiles } = deviceLibrary();
    return await board.run(context, (device) => operation(new BoardFiles(device, { signal: context.signal, streamLink: streamLinkOf(device) })));
  } catch (error) {
    if (context.signal.aborted) throw context.signal.reason;
    throw fileCellError(error, context.cwd);
  }
}

/**
 * Big files stream through the board's stdin only where the link has flow control: the
 * in-process virtual board. A serial port may be a USB-UART bridge without it, so files
 * go through the raw REPL there.
 */
function streamLinkOf(device: DeviceSession) {
  return device.url.startsWith('virtual://') ? device.link : undefined;
}

function fileCellError(error: unknown, cwd: string): CellError {
  if (error instanceof CellError) return error;
  if (error instanceof deviceLibrary().BoardError) {
    const { type, message } = error.exception;
    const errno = /^\[Errno (\d+)\]\s*(?:E[A-Z]+:?\s*)?(.*)$/.exec(message);
    if (type === 'OSError' && errno?.[1] === '2') {
      const path = /no such file or folder: (.*)$/.exec(errno[2])?.[1];
      return new CellError('FileNotFoundError', `No such file or folder on the board${path ? `: :${path}` : ''}. ${LIST_HINT}`);
    }
    if (type === 'OSError' && errno?.[1] === '21') return new CellError('IsADirectoryError', errno[2]);
    return new CellError(type, message);
  }
  const hostError = error as NodeJS.ErrnoException;
  if (hostError.code === 'ENOENT') return new CellError('FileNotFoundError', `No such file or folder on the host: ${hostError.path ?? hostError.message}. Host paths are relative to the notebook's folder ${cwd}.`);
  if (hostError.code) return new CellError('OSError', `${hostError.message} (on the host)`);
  return new CellError('OSError', (error as Error).message ?? String(error));
}
