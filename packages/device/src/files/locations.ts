import * as path from 'node:path';

/** A place named on the command line or by a magic: `:path` is on the board, anything else on the host. */
export type Location = { side: 'board'; path: string } | { side: 'host'; path: string };

export function parseLocation(spec: string): Location {
  return spec.startsWith(':') ? { side: 'board', path: normaliseBoardPath(spec.slice(1)) } : { side: 'host', path: spec };
}

/** Absolute, without `.`/`..`/doubled or trailing slashes; relative paths start at the board's root. */
export function normaliseBoardPath(boardPath: string): string {
  const normal = path.posix.normalize('/' + boardPath);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

export function joinBoardPath(folder: string, ...relative: string[]): string {
  return normaliseBoardPath(path.posix.join(folder, ...relative));
}

export function boardBasename(boardPath: string): string {
  return path.posix.basename(boardPath);
}

/** A Python string literal for `text` (JSON's escapes are all valid in Python). */
export function pyString(text: string): string {
  return JSON.stringify(text);
}
