import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { BoardError, type CodeRunner, type ExecOptions } from '../repl/types';
import { HELPER_NAME, HELPER_SOURCE } from './board-helpers';
import { normaliseBoardPath, pyString } from './locations';
import { ProgressTally, type ProgressListener } from './progress';
import { bytesLiteral, EscapedStreamDecoder } from './wire-encoding';

/** One entry of a board listing; `path` is relative to the listed folder ('' = the listed file itself). */
export interface BoardEntry {
  path: string;
  size: number;
  isDir: boolean;
}

/** A file to write: board path (absolute) and content. */
export interface FileToWrite {
  path: string;
  data: Uint8Array;
}

/** What the board found comparing its tree with the host's hashes (paths relative to the root). */
export interface TreeDifference {
  /** Files on both sides whose content differs. */
  differing: string[];
  /** A file on one side, a folder on the other. */
  wrongKind: string[];
  /** On the host only. */
  missing: string[];
  /** On the board only. */
  extra: Array<{ path: string; isDir: boolean }>;
  /** Temporary files of interrupted transfers, removed during the comparison. */
  staleTemporaries: string[];
}

export interface BoardFilesInfo {
  /** The board's sys.path. */
  path: string[];
  /** sys.implementation._mpy (0 when missing). */
  mpy: number;
  /** The `deflate` module can decompress (writes then send compressible data deflated). */
  deflate: boolean;
}

/** Where streamed file bytes go: the board's transport. */
export interface StreamLink {
  write(data: Uint8Array): Promise<void>;
}

export interface BoardFilesOptions {
  /** Largest code sent in one exec (bytes); the board holds about twice this in RAM. Default 8192. */
  execBudget?: number;
  /** Raw bytes per write statement or stream record (each compressed on its own). Default 4096, at most 65535. */
  pieceSize?: number;
  /** Send compressible pieces deflated when the board has `deflate`. Default true. */
  compress?: boolean;
  /**
   * The board's link, for streaming big files as raw bytes through the board's stdin
   * (about 100 % of the link instead of raw-paste's window-bound pace). Give it only for
   * links with flow control: USB CDC and the virtual board (a bare UART drops bytes the
   * board cannot take in time; the sha256 check would then fail the write).
   */
  streamLink?: StreamLink;
  /** Files at least this big are streamed when `streamLink` is given. Default 16 KiB. */
  streamThreshold?: number;
  /** Longest wait for one exec. Default 60 s. */
  timeoutMs?: number;
  /** The user's stop button: the operation ends with an error, no file is left half-written under its name. */
  signal?: AbortSignal;
}

const boardInfoByRunner = new WeakMap<CodeRunner, BoardFilesInfo>();

/** Length of the sha256 hex prefix compared during a tree diff (64 bits: accidental equality is out of reach). */
export const DIFF_HASH_CHARS = 16;

/** Hex sha256 of `data`, as the board computes it. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * File operations on one board through its raw REPL. Every operation is one exec of a call
 * into the resident helpers (installed on first use and again after a soft reset), except
 * writes, which are packed into as few execs as the exec budget allows.
 */
export class BoardFiles {
  private readonly execBudget: number;
  private readonly pieceSize: number;
  private readonly compress: boolean;

  constructor(
    private readonly runner: CodeRunner,
    private readonly options: BoardFilesOptions = {},
  ) {
    this.execBudget = options.execBudget ?? 8192;
    this.pieceSize = Math.min(options.pieceSize ?? 4096, 0xffff); // stream records carry a u16 length
    this.compress = options.compress ?? true;
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 60_000;
  }

  /** sys.path, bytecode version and deflate support; asked once per runner (one BoardFiles per operation is fine). */
  async info(): Promise<BoardFilesInfo> {
    let info = boardInfoByRunner.get(this.runner);
    if (!info) {
      info = await this.callJson<BoardFilesInfo>('info()');
      boardInfoByRunner.set(this.runner, info);
    }
    return info;
  }

  /** Kind and size of a board path; undefined when nothing is there. */
  async stat(boardPath: string): Promise<{ isDir: boolean; size: number } | undefined> {
    const answer = await this.callJson<[boolean, number] | null>(`st(${pyString(boardPath)})`);
    return answer ? { isDir: answer[0], size: answer[1] } : undefined;
  }

  list(boardPath: string, recursive = false): Promise<BoardEntry[]> {
    return this.callJson<Array<[string, number, boolean]>>(`ls(${pyString(boardPath)}, ${py(recursive)})`).then((rows) =>
      rows.map(([path, size, isDir]) => ({ path, size, isDir })),
    );
  }

  async read(boardPath: string, onProgress?: ProgressListener, expectedSize = 0): Promise<Buffer> {
    const decoder = new EscapedStreamDecoder();
    const tally = new ProgressTally(expectedSize, onProgress);
    await this.call(helper(`r(${pyString(boardPath)}, ${this.pieceSize})`), {
      // a big file on a slow link streams for long: allow 1 ms per byte on top
      timeoutMs: this.timeoutMs + expectedSize,
      onStdoutBytes: (bytes) => {
        decoder.push(bytes);
        tally.report(boardPath, decoder.size, expectedSize);
      },
    });
    const { data, sha256, size } = decoder.finish();
    if (data.length !== size || sha256Hex(data) !== sha256) {
      throw new Error(`reading ${boardPath} gave ${data.length} bytes that do not match the board's sha256 (link noise?); try again`);
    }
    return data;
  }

  /** Writes files through temporary names, each renamed into place once its sha256 matches on the board. */
  async write(files: FileToWrite[], onProgress?: ProgressListener): Promise<void> {
    const tally = new ProgressTally(
      files.reduce((n, f) => n + f.data.length, 0),
      onProgress,
    );
    const compress = this.compress && (await this.info()).deflate;
    const batch = new StatementBatch(this.execBudget, (code) => this.call(code));
    const { streamLink, streamThreshold = 16 * 1024 } = this.options;
    for (const file of files) {
      const sha = sha256Hex(file.data);
      if (streamLink && file.data.length >= streamThreshold) {
        await batch.flush();
        await this.stream(file, sha, streamLink, compress, tally);
        continue;
      }
      await batch.add(Buffer.from(helper(`o(${pyString(file.path)})\n`)));
      for (let offset = 0; offset < file.data.length; offset += this.pieceSize) {
        const end = Math.min(offset + this.pieceSize, file.data.length);
        await batch.add(this.writeStatement(file.data.subarray(offset, end), compress), () => tally.report(file.path, end, file.data.length));
      }
      await batch.add(Buffer.from(helper(`c('${sha}')\n`)), () => {
        tally.report(file.path, file.data.length, file.data.length);
        tally.fileFinished(file.data.length);
      });
    }
    await batch.flush();
  }

  /**
   * One exec: the board reads the file from stdin as records (a piece, deflated when that
   * helps) and prints a credit byte for each record it has room for. A stop request cannot
   * interrupt the board here (a Ctrl-C would be read as data), so the rest goes out as
   * zeros and the sha256 check discards the temporary file.
   */
  private async stream(file: FileToWrite, sha: string, link: StreamLink, compress: boolean, tally: ProgressTally): Promise<void> {
    let credits = 0;
    let wake: (() => void) | undefined;
    let settled = false;
    const code = [helper(`recv(${pyString(file.path)}, ${file.data.length}, ${this.pieceSize})`), helper(`c('${sha}')`)].join('\n');
    const run = this.call(code, {
      signal: undefined,
      timeoutMs: this.timeoutMs + file.data.length,
      onStdoutBytes: (bytes) => {
        credits += bytes.filter((b) => b === 0x01).length;
        wake?.();
      },
    }).finally(() => {
      settled = true;
      wake?.();
    });
    const signal = this.options.signal;
    for (let offset = 0; offset < file.data.length && !settled; ) {
      if (credits === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      credits--;
      const end = Math.min(offset + this.pieceSize, file.data.length);
      const piece = signal?.aborted ? new Uint8Array(end - offset) : file.data.subarray(offset, end);
      await link.write(streamRecord(piece, compress));
      offset = end;
      tally.report(file.path, end, file.data.length);
    }
    try {
      await run;
    } catch (error) {
      if (signal?.aborted) throw new Error(`stopped while writing ${file.path}; the board keeps its previous version of the file`);
      throw error;
    }
    tally.fileFinished(file.data.length);
  }

  /** Writes one file (text as UTF-8) through a verified temporary file. */
  writeFile(boardPath: string, content: string | Uint8Array, onProgress?: ProgressListener): Promise<void> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    return this.write([{ path: normaliseBoardPath(boardPath), data }], onProgress);
  }

  remove(boardPath: string, recursive = false): Promise<void> {
    return this.call(helper(`rm(${pyString(boardPath)}, ${py(recursive)})`)).then(() => undefined);
  }

  /** Removes files and folders given relative to `root`, deepest first; missing ones are skipped. */
  removeAll(root: string, relativePaths: string[]): Promise<void> {
    if (relativePaths.length === 0) return Promise.resolve();
    return this.call(helper(`rm_all(${pyString(root)}, ${pyJson(relativePaths)})`)).then(() => undefined);
  }

  /** Creates folders (and missing parents) given relative to `root`, in one exec. */
  mkdirs(root: string, relativePaths: string[] = ['']): Promise<void> {
    if (relativePaths.length === 0) return Promise.resolve();
    return this.call(helper(`mkdir_all(${pyString(root)}, ${pyJson(relativePaths)})`)).then(() => undefined);
  }

  /**
   * One exec: the board walks `root`, hashes the files the host also has and answers only
   * what differs. `want` maps relative paths to their sha256 hex (or '' for a folder).
   * Temporary files of interrupted transfers are reported, and removed unless `keepStale`
   * (a dry run changes nothing).
   */
  async diff(root: string, want: Map<string, string>, keepStale = false): Promise<TreeDifference> {
    // A big tree's hashes go in several execs (each within the exec budget); most trees need one.
    const pieces = piecesWithin([...want].map(([rel, hash]): [string, string] => [rel, hash.slice(0, DIFF_HASH_CHARS)]), this.execBudget / 2);
    for (const [index, piece] of pieces.slice(0, -1).entries()) await this.call(helper(`want(${pyJson(Object.fromEntries(piece))}, ${index === 0 ? 'True' : 'False'})`));
    const last = Object.fromEntries(pieces[pieces.length - 1]);
    const answer = await this.callJson<{ d: string[]; k: string[]; m: string[]; x: Array<[string, boolean]>; t: string[] }>(
      `diff(${pyString(root)}, ${pyJson(last)}, ${DIFF_HASH_CHARS}, ${keepStale ? 'False' : 'True'}, ${pieces.length > 1 ? 'True' : 'False'})`,
    );
    return {
      differing: answer.d,
      wrongKind: answer.k,
      missing: answer.m,
      extra: answer.x.map(([path, isDir]) => ({ path, isDir })),
      staleTemporaries: answer.t,
    };
  }

  /** Removes temporary files that interrupted transfers left under `root`; returns their relative paths. */
  cleanup(root: string): Promise<string[]> {
    return this.callJson<string[]>(`cleanup(${pyString(root)})`);
  }

  private writeStatement(piece: Uint8Array, compress: boolean): Buffer {
    const deflated = compress ? deflateIfSmaller(piece) : undefined;
    return deflated ? statement('wz', deflated) : statement('w', piece);
  }

  private async callJson<T>(call: string): Promise<T> {
    const { stdout } = await this.call(helper(call));
    const lastLine = stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(lastLine) as T;
    } catch {
      throw new Error(`the board answered ${JSON.stringify(stdout.slice(0, 200))} where file helpers print JSON; is other code printing?`);
    }
  }

  /** Runs code that calls the helpers; installs them and runs it again if the board lacks them. */
  private async call(code: string | Buffer, options: ExecOptions = {}) {
    const run = () => this.runner.exec(code, { timeoutMs: this.timeoutMs, signal: this.options.signal, ...options });
    let result = await run();
    if (result.exception?.type === 'NameError' && result.exception.message.includes(HELPER_NAME)) {
      const install = await this.runner.exec(HELPER_SOURCE, { timeoutMs: this.timeoutMs });
      if (install.exception) throw new BoardError(install.exception);
      result = await run();
    }
    if (result.exception) throw new BoardError(result.exception);
    return result;
  }
}

/**
 * Write statements packed into as few execs as the budget allows; each statement's
 * `onSent` runs once the exec that carried it has succeeded (progress reports).
 */
class StatementBatch {
  private statements: Buffer[] = [];
  private bytes = 0;
  private sentCallbacks: Array<() => void> = [];

  constructor(
    private readonly budget: number,
    private readonly run: (code: Buffer) => Promise<unknown>,
  ) {}

  async add(statement: Buffer, onSent?: () => void): Promise<void> {
    if (this.bytes + statement.length > this.budget) await this.flush();
    this.statements.push(statement);
    this.bytes += statement.length;
    if (onSent) this.sentCallbacks.push(onSent);
  }

  async flush(): Promise<void> {
    if (this.statements.length === 0) return;
    const code = Buffer.concat(this.statements);
    const callbacks = this.sentCallbacks;
    this.statements = [];
    this.bytes = 0;
    this.sentCallbacks = [];
    await this.run(code);
    callbacks.forEach((onSent) => onSent());
  }
}

/** The piece deflated (zlib, 1 KiB window: little board RAM), when that saves at least 10 %. */
function deflateIfSmaller(piece: Uint8Array): Buffer | undefined {
  const deflated = deflateSync(piece, { windowBits: 10, level: 9, memLevel: 9 });
  return deflated.length < piece.length * 0.9 ? deflated : undefined;
}

/** What `recv` reads from stdin: kind (0 raw, 1 zlib), u16 LE payload length, u16 LE piece length, payload. */
function streamRecord(piece: Uint8Array, compress: boolean): Buffer {
  const deflated = compress ? deflateIfSmaller(piece) : undefined;
  const payload = deflated ?? piece;
  const head = Buffer.alloc(5);
  head[0] = deflated ? 1 : 0;
  head.writeUInt16LE(payload.length, 1);
  head.writeUInt16LE(piece.length, 3);
  return Buffer.concat([head, payload]);
}

function statement(method: 'w' | 'wz', data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(helper(`${method}(`)), bytesLiteral(data), Buffer.from(')\n')]);
}

function helper(call: string): string {
  return `${HELPER_NAME}.${call}`;
}

function py(flag: boolean): string {
  return flag ? 'True' : 'False';
}

/** JSON is a Python literal too, as long as it holds no true/false/null. */
function pyJson(value: string[] | Record<string, string>): string {
  return JSON.stringify(value);
}

/** `entries` in consecutive pieces whose JSON stays within about `budget` bytes (at least one piece, maybe empty). */
function piecesWithin(entries: Array<[string, string]>, budget: number): Array<Array<[string, string]>> {
  const pieces: Array<Array<[string, string]>> = [[]];
  let size = 0;
  for (const entry of entries) {
    const entrySize = Buffer.byteLength(JSON.stringify(entry)) + 2;
    if (size + entrySize > budget && pieces[pieces.length - 1].length > 0) {
      pieces.push([]);
      size = 0;
    }
    pieces[pieces.length - 1].push(entry);
    size += entrySize;
  }
  return pieces;
}
