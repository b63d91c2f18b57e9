import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BoardFiles, type BoardFilesOptions } from '../src/files';
import { RawRepl } from '../src/repl/raw-repl';
import type { CodeRunner, ExecOptions } from '../src/repl/types';
import { SerialTransport } from '../src/transport/serial';

const BOARD_CLI = require.resolve('@ide49/virtual-board/dist/src/cli.js');

/** A virtual board process on a pty, with its flash folder on the host, and a connection to it. */
export class PtyBoard {
  execs = 0;
  readonly files: BoardFiles;
  /** Counts execs like `files`; pass options such as streamLink or signal. */
  filesWith: (options: BoardFilesOptions) => BoardFiles;
  private constructor(
    readonly process: ChildProcess,
    readonly ptyPath: string,
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

  /** Starts a board on `flashDir` (a new temporary folder when not given). */
  static async start(workDir: string, flashDir = mkdtempSync(path.join(workDir, 'flash-'))): Promise<PtyBoard> {
    const ptyPath = path.join(workDir, `pty-${Math.random().toString(36).slice(2)}`);
    const child = spawn(process.execPath, [BOARD_CLI, '--pty', ptyPath, '--flash', flashDir, '--link', 'none'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`virtual board did not print "ready" within 20 s: ${stderr}`)), 20_000);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready ')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`virtual board exited (${code}) before it was ready: ${stderr}`));
      });
    });
    const transport = new SerialTransport(`serial://${ptyPath}`, ptyPath);
    await transport.open();
    return new PtyBoard(child, ptyPath, flashDir, transport, new RawRepl(transport));
  }

  /** Cuts the link the hard way: the board process dies. */
  kill(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.process.once('exit', () => resolve());
      this.process.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.transport.close().catch(() => undefined);
    await this.kill();
  }
}

export function makeWorkDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'ide49-files-'));
}

export function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file under `root` (relative '/'-paths → content), temporaries of transfers included. */
export function readTree(root: string): Map<string, Buffer> {
  const tree = new Map<string, Buffer>();
  const visit = (folder: string, rel: string) => {
    for (const name of readdirSync(folder)) {
      const full = path.join(folder, name);
      const relative = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) visit(full, relative);
      else tree.set(relative, readFileSync(full));
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
