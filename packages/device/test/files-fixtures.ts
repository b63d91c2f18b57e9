import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BoardFiles, type BoardFilesOptions } from '../src/files';
import { RawRepl } from '../src/repl/raw-repl';
import type { CodeRunner, ExecOptions } from '../src/repl/types';
import { SerialTransport } from '../src/transport/serial';
import { PtyBoard } from './helpers/pty-board';

/** A virtual board on a pty (the shared PtyBoard), connected the way the CLI connects, with its flash folder on the host. */
export class FilesBoard {
  execs = 0;
  readonly files: BoardFiles;
  /** Counts execs like `files`; pass options such as streamLink or signal. */
  filesWith: (options: BoardFilesOptions) => BoardFiles;

  private constructor(
    private readonly board: PtyBoard,
    readonly flashDir: string,
    readonly transport: SerialTransport,
    readonly repl: RawRepl,
  ) {
    const counting: CodeRunner = {
      exec: (code: string | Uint8Array, options?: ExecOptions) => {
        this.execs++;
        return repl.exec(code, options);
      },
      eval: (expression, options) => repl.eval(expression, options),
    };
    this.files = new BoardFiles(counting);
    this.filesWith = (options) => new BoardFiles(counting, options);
  }

  /** Starts a board on `flashDir` (a new temporary folder when not given) and connects. */
  static async start(workDir: string, flashDir = mkdtempSync(path.join(workDir, 'flash-'))): Promise<FilesBoard> {
    const board = await PtyBoard.start({ dir: workDir, ptyName: `pty-${Math.random().toString(36).slice(2)}`, flashDir });
    const transport = new SerialTransport(`serial://${board.path}`, board.path);
    await transport.open();
    return new FilesBoard(board, flashDir, transport, new RawRepl(transport));
  }

  /** Cuts the link the hard way: the board process dies. */
  kill(): Promise<void> {
    return this.board.stop('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.transport.close().catch(() => undefined);
    await this.board.stop();
  }
}

export function makeWorkDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ide49-files-'));
}

export function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Every file under `root` (relative '/'-paths → content), temporaries of transfers included.
 * A board may rename or remove files while this reads (tests sample the flash mid-transfer):
 * what vanished between listing and reading is left out.
 */
export function readTree(root: string): Map<string, Buffer> {
  const tree = new Map<string, Buffer>();
  const visit = (folder: string, rel: string) => {
    for (const name of ifPresent(() => readdirSync(folder)) ?? []) {
      const full = path.join(folder, name);
      const relative = rel ? `${rel}/${name}` : name;
      const isDir = ifPresent(() => statSync(full).isDirectory());
      if (isDir) visit(full, relative);
      else if (isDir === false) {
        const content = ifPresent(() => readFileSync(full));
        if (content) tree.set(relative, content);
      }
    }
  };
  visit(root, '');
  return tree;
}

/** 0..255 repeated: every byte value, in every position modulo 256. */
export function everyByteValue(size: number): Buffer {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = i & 0xff;
  return data;
}

/** `read()`, or undefined when the file went away meanwhile. */
function ifPresent<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
