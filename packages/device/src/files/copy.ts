import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { BoardFiles, FileToWrite } from './board-files';
import { boardBasename, joinBoardPath, parseLocation, type Location } from './locations';
import { ProgressTally, type ProgressListener } from './progress';

export interface CopyOptions {
  /** Copy folders with everything in them. */
  recursive?: boolean;
  onProgress?: ProgressListener;
}

export interface CopyReport {
  /** Destination paths written (board paths start with ':'). */
  written: string[];
  bytes: number;
  seconds: number;
}

/**
 * `cp [-r] SRC… DST` between host and board (a leading ':' marks the board), with cp's
 * rules: into DST when it is an existing folder, ends with '/' or there are several
 * sources; otherwise DST is the new name. Board writes are verified (temp + sha256 + rename).
 */
export async function copyFiles(files: BoardFiles, sources: string[], destination: string, options: CopyOptions = {}): Promise<CopyReport> {
  const started = performance.now();
  const from = sources.map(parseLocation);
  const to = parseLocation(destination);
  const side = from[0]?.side;
  if (!side || from.some((s) => s.side !== side)) throw new Error('cp: give one or more sources, all on the board (:path) or all on the host');
  if (side === to.side) throw new Error(`cp: source and destination are both on the ${side}; one side must be the board (prefix ':')`);
  const into = sources.length > 1 || destination.endsWith('/') || (await isFolder(files, to));
  const report: CopyReport = { written: [], bytes: 0, seconds: 0 };
  if (side === 'host') {
    const planned: FileToWrite[] = [];
    const folders: string[] = [];
    for (const source of from) {
      const target = into ? joinBoardPath(to.path, path.basename(path.resolve(source.path))) : to.path;
      await collectHost(source.path, target, options.recursive ?? false, planned, folders);
    }
    await files.mkdirs('/', folders.map((folder) => folder.slice(1)));
    await files.write(planned, options.onProgress);
    report.written = planned.map((f) => ':' + f.path);
    report.bytes = planned.reduce((n, f) => n + f.data.length, 0);
  } else {
    const planned: Array<{ board: string; host: string; size: number }> = [];
    for (const source of from) {
      const target = into ? path.join(to.path, boardBasename(source.path)) : to.path;
      await collectBoard(files, source.path, target, options.recursive ?? false, planned);
    }
    const tally = new ProgressTally(
      planned.reduce((n, f) => n + f.size, 0),
      options.onProgress,
    );
    for (const file of planned) {
      const data = await files.read(file.board, (p) => tally.report(file.board, p.fileBytesDone, file.size), file.size);
      tally.fileFinished(file.size);
      await fs.mkdir(path.dirname(file.host), { recursive: true });
      await fs.writeFile(file.host, data);
      report.written.push(file.host);
      report.bytes += data.length;
    }
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

async function isFolder(files: BoardFiles, location: Location): Promise<boolean> {
  if (location.side === 'board') return (await files.stat(location.path))?.isDir ?? false;
  return (await fs.stat(location.path).catch(() => undefined))?.isDirectory() ?? false;
}

async function collectHost(source: string, target: string, recursive: boolean, planned: FileToWrite[], folders: string[]): Promise<void> {
  const stat = await fs.stat(source);
  if (!stat.isDirectory()) {
    planned.push({ path: target, data: await fs.readFile(source) });
    return;
  }
  if (!recursive) throw new Error(`cp: ${source} is a folder; copy folders with -r`);
  folders.push(target);
  for (const name of (await fs.readdir(source)).sort()) {
    await collectHost(path.join(source, name), joinBoardPath(target, name), recursive, planned, folders);
  }
}

async function collectBoard(
  files: BoardFiles,
  source: string,
  target: string,
  recursive: boolean,
  planned: Array<{ board: string; host: string; size: number }>,
): Promise<void> {
  const stat = await files.stat(source);
  if (!stat) throw new Error(`cp: no file or folder :${source} on the board`);
  if (!stat.isDir) {
    planned.push({ board: source, host: target, size: stat.size });
    return;
  }
  if (!recursive) throw new Error(`cp: :${source} is a folder; copy folders with -r`);
  await fs.mkdir(target, { recursive: true });
  for (const entry of await files.list(source, true)) {
    const host = path.join(target, ...entry.path.split('/'));
    if (entry.isDir) await fs.mkdir(host, { recursive: true });
    else planned.push({ board: joinBoardPath(source, entry.path), host, size: entry.size });
  }
}
