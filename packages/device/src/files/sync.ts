import { promises as fs } from 'node:fs';
import { sha256Hex, type BoardFiles } from './board-files';
import { PathFilter, readHostTree, type HostFile } from './host-tree';
import { joinBoardPath, normaliseBoardPath } from './locations';
import type { ProgressListener } from './progress';

/**
 * Board folders a sync with `delete` leaves alone (with all they hold): where mip installs
 * packages on the usual ports (sys.path's …/lib), unless LOCAL has that folder too (a
 * project mirrored to :/ must not wipe the installed packages), and the filesystems
 * mounted at the top of boards whose `/` is only a mount table (pyboard, STM32: /flash,
 * /sd; /rom on newer firmware).
 */
const PACKAGE_FOLDERS = ['/lib', '/flash/lib'];
const MOUNT_POINTS = ['/flash', '/sd', '/rom'];

/** A board folder `delete` left alone, and why. */
export interface KeptFolder {
  /** Relative to the sync's board folder, ending with '/'. */
  path: string;
  why: string;
}

export interface SyncOptions {
  /** Remove board files and folders that LOCAL does not have (excluded ones and package folders are kept). */
  delete?: boolean;
  /** gitignore-style globs, applied to both sides, on top of LOCAL's .gitignore/.ide49ignore. */
  exclude?: string[];
  /** Compare and report only. */
  dryRun?: boolean;
  onProgress?: ProgressListener;
}

export interface SyncReport {
  /** Relative paths; folders end with '/'. */
  added: string[];
  updated: string[];
  deleted: string[];
  /** Board-only folders that `delete` left alone: package folders LOCAL lacks, mount points. */
  kept: KeptFolder[];
  unchanged: string[];
  /** Temporary files of earlier interrupted transfers that were removed (in a dry run: found). */
  staleTemporaries: string[];
  /** File content bytes written (before encoding). */
  bytesSent: number;
  seconds: number;
  /** bytesSent / seconds. */
  bytesPerSecond: number;
  dryRun: boolean;
}

/**
 * Makes the board folder `boardRoot` hold what the host folder `localRoot` holds: one exec
 * compares the whole tree by sha256 on the board, then only what differs is written
 * (through temporary names and verified renames) and, with `delete`, what LOCAL lacks is
 * removed. Running it again right away copies nothing and costs one exec.
 */
export async function syncFolder(files: BoardFiles, localRoot: string, boardFolder: string, options: SyncOptions = {}): Promise<SyncReport> {
  const started = performance.now();
  const boardRoot = normaliseBoardPath(boardFolder);
  if (!(await fs.stat(localRoot).catch(() => undefined))?.isDirectory()) {
    throw new Error(`${localRoot} is not a folder: sync copies a folder's contents (use cp for single files)`);
  }
  const filter = await PathFilter.forFolder(localRoot, options.exclude);
  const host = await readHostTree(localRoot, filter);
  const want = new Map<string, string>([...host.folders.map((f): [string, string] => [f, '']), ...host.files.map((f): [string, string] => [f.path, f.sha256])]);
  const difference = await files.diff(boardRoot, want, options.dryRun);

  const byPath = new Map(host.files.map((f) => [f.path, f]));
  const folders = new Set(host.folders);
  const extraFolders = new Set(difference.extra.filter((e) => e.isDir).map((e) => e.path));
  const changed = [...difference.missing, ...difference.differing, ...difference.wrongKind];
  const kept = options.delete ? foldersKept(boardRoot, extraFolders) : [];
  const toDelete = options.delete ? deletions(difference.extra, (e) => filter.excludes(e.path, e.isDir) || kept.some((k) => within(e.path, k.rel))) : [];
  const unchanged = new Set(want.keys());
  changed.forEach((rel) => unchanged.delete(rel));
  const label = (rel: string) => (folders.has(rel) || extraFolders.has(rel) ? rel + '/' : rel);

  const report: SyncReport = {
    added: sorted(difference.missing.map(label)),
    updated: sorted([...difference.differing, ...difference.wrongKind].map(label)),
    deleted: sorted(toDelete.map(label)),
    kept: kept.map(({ rel, why }) => ({ path: label(rel), why })).sort((a, b) => (a.path < b.path ? -1 : 1)),
    unchanged: sorted([...unchanged].map(label)),
    staleTemporaries: difference.staleTemporaries,
    bytesSent: 0,
    seconds: 0,
    bytesPerSecond: 0,
    dryRun: options.dryRun ?? false,
  };
  if (!options.dryRun) {
    // deletions and a file where a folder should be (or the reverse) make room first
    await files.removeAll(boardRoot, [...toDelete, ...difference.wrongKind]);
    await files.mkdirs(boardRoot, changed.filter((rel) => folders.has(rel)));
    const toWrite = changed.map((rel) => byPath.get(rel)).filter((f): f is HostFile => f !== undefined);
    const contents = await Promise.all(toWrite.map(async (f) => ({ path: joinBoardPath(boardRoot, f.path), data: await fs.readFile(f.absolute) })));
    await files.write(contents, options.onProgress);
    report.bytesSent = toWrite.reduce((n, f) => n + f.size, 0);
  }
  report.seconds = (performance.now() - started) / 1000;
  report.bytesPerSecond = report.seconds > 0 ? report.bytesSent / report.seconds : 0;
  return report;
}

/** The protected folders under `boardRoot` that the board has and LOCAL lacks (`boardOnly`), relative to it. */
function foldersKept(boardRoot: string, boardOnly: Set<string>): Array<{ rel: string; why: string }> {
  const prefix = boardRoot === '/' ? '/' : boardRoot + '/';
  const under = (folders: string[], why: string) =>
    folders
      .filter((folder) => folder.startsWith(prefix))
      .map((folder) => ({ rel: folder.slice(prefix.length), why }))
      .filter(({ rel }) => boardOnly.has(rel));
  return [
    ...under(MOUNT_POINTS, 'a filesystem mount point'),
    ...under(PACKAGE_FOLDERS, 'installed packages: the host folder has no such folder; remove it with rm -r if you mean to'),
  ].filter(({ rel }, i, all) => !all.slice(0, i).some((earlier) => within(rel, earlier.rel)));
}

function within(rel: string, folder: string): boolean {
  return rel === folder || rel.startsWith(folder + '/');
}

/**
 * The board-only entries to remove: all but those that stay (`stays`). A folder that holds
 * something that stays is not removed as a whole (the board removes folders with all they
 * hold); its other contents are, one by one.
 */
function deletions(boardOnly: Array<{ path: string; isDir: boolean }>, stays: (entry: { path: string; isDir: boolean }) => boolean): string[] {
  const staying = boardOnly.filter(stays).map((e) => e.path);
  return boardOnly.filter((e) => !stays(e) && !(e.isDir && staying.some((rel) => within(rel, e.path)))).map((e) => e.path);
}

function sorted(paths: string[]): string[] {
  return paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Puts in-memory files (relative path → content) under `boardRoot`, writing only those the
 * board lacks or holds with other content; nothing else on the board is touched.
 */
export async function syncFiles(
  files: BoardFiles,
  boardRoot: string,
  contents: Map<string, Buffer>,
  onProgress?: ProgressListener,
): Promise<{ written: string[]; unchanged: string[]; bytesSent: number }> {
  const want = new Map([...contents].map(([rel, data]): [string, string] => [rel, sha256Hex(data)]));
  const difference = await files.diff(boardRoot, want);
  const written = sorted([...difference.missing, ...difference.differing, ...difference.wrongKind]);
  await files.removeAll(boardRoot, difference.wrongKind);
  await files.write(
    written.map((rel) => ({ path: joinBoardPath(boardRoot, rel), data: contents.get(rel) as Buffer })),
    onProgress,
  );
  const changed = new Set(written);
  return {
    written,
    unchanged: sorted([...want.keys()].filter((rel) => !changed.has(rel))),
    bytesSent: written.reduce((n, rel) => n + (contents.get(rel) as Buffer).length, 0),
  };
}
