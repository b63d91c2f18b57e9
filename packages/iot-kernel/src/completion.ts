import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Completion } from './board/session';
import type { Magic } from './magics/magic';
import { prefix, type MagicRegistry } from './magics/registry';

/** A cursor's line: its text up to the cursor and whether it is the cell's first line. */
function lineBefore(code: string, cursor: number): { text: string; first: boolean } {
  const start = code.lastIndexOf('\n', cursor - 1) + 1;
  return { text: code.slice(start, cursor), first: start === 0 };
}

/**
 * Completion of what runs on the host: magic names after `%`/`%%` and host paths in `!`
 * lines, magic arguments and `%%bash` cells. Undefined when the cursor is in board code.
 */
export function completeHost(code: string, cursor: number, magics: MagicRegistry, cwd: string): Completion | undefined {
  const line = lineBefore(code, cursor);
  const magicName = /^(%%?)([\w-]*)$/.exec(line.text);
  if (magicName) {
    const kind = magicName[1] === '%%' ? 'cell' : 'line';
    if (kind === 'cell' && !line.first) return { matches: [], start: cursor, end: cursor };
    const matches = magics
      .list()
      .filter((magic) => magic.kind === kind && magic.name.startsWith(magicName[2]))
      .map((magic) => `${prefix(kind)}${magic.name}`)
      .sort();
    return { matches, start: cursor - line.text.length, end: cursor };
  }
  const cellMagic = /^%%(\S*)/.exec(code)?.[1];
  const inHostText = line.text.startsWith('!') || line.text.startsWith('%') || cellMagic === 'bash';
  if (inHostText) return completePath(line.text, cursor, cwd);
  if (cellMagic !== undefined) return { matches: [], start: cursor, end: cursor };
  return undefined;
}

function completePath(lineText: string, cursor: number, cwd: string): Completion {
  const word = shellWordBefore(lineText);
  // an unquoted word also starts after `!` (`!ls`) and `=` (`--out=FILE`)
  const cut = word.quote === '' ? Math.max(word.value.lastIndexOf('!'), word.value.lastIndexOf('=')) + 1 : 0;
  const path = word.value.slice(cut);
  const { folder, stem } = splitPath(path);
  let matches: string[] = [];
  try {
    // The shell expands ~/ to the home folder, so completion does too.
    const where = folder.startsWith('~/') ? join(homedir(), folder.slice(2)) : resolve(cwd, folder || '.');
    matches = pathMatches(folder, stem, readdirSync(where, { withFileTypes: true }).map((entry) => ({ name: entry.name, isDir: entry.isDirectory() })));
  } catch {
    // No such folder: nothing to offer.
  }
  return { matches: matches.map((match) => renderShellWord(match, word.quote)), start: cursor - lineText.length + word.start + cut, end: cursor };
}

/** How the word being completed was quoted: not at all, with a quote still open, or with backslash escapes. */
export type WordQuoting = '' | "'" | '"' | '\\';

/** The shell word that ends at the end of `text`: its value (quotes and escapes undone), where it starts, how it is quoted. */
export interface ShellWord {
  value: string;
  start: number;
  quote: WordQuoting;
}

/**
 * The last word of `text` read as the magics read their arguments (see splitArgs): a quote
 * may still be open, since the cursor is inside the word being typed.
 */
export function shellWordBefore(text: string): ShellWord {
  let word: ShellWord = { value: '', start: text.length, quote: '' };
  let open: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (open) {
      if (char === open) open = undefined;
      else if (open === '"' && char === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word.value += text[++i];
      else word.value += char;
    } else if (/\s/.test(char)) {
      word = { value: '', start: i + 1, quote: '' };
    } else {
      if (word.start > i) word.start = i;
      if (char === "'" || char === '"') {
        open = char;
        word.quote = char;
      } else if (char === '\\' && i + 1 < text.length) {
        word.value += text[++i];
        word.quote ||= '\\';
      } else {
        word.value += char;
      }
    }
  }
  return word;
}

/**
 * A completed path written back the way its word was quoted: inside the quote the user
 * opened (closed after a file, left open after a folder so that completing can go on),
 * else with backslashes before the characters that need them, as shells complete.
 */
export function renderShellWord(path: string, quote: WordQuoting): string {
  if (quote === '' || quote === '\\' || (quote === "'" && path.includes("'"))) return path.replace(/[\s'"\\]/g, (c) => '\\' + c);
  const body = quote === '"' ? path.replace(/["\\]/g, (c) => '\\' + c) : path;
  return quote + body + (path.endsWith('/') ? '' : quote);
}

/** A path being typed: its folder part (up to and with the last '/') and the name being typed after it. */
export function splitPath(path: string): { folder: string; stem: string } {
  const slash = path.lastIndexOf('/');
  return { folder: path.slice(0, slash + 1), stem: path.slice(slash + 1) };
}

/**
 * The entries of `folder` that complete `stem`, as paths (folders end with '/'), sorted.
 * Names starting with '.' only when the stem does, as shells do.
 */
export function pathMatches(folder: string, stem: string, entries: Array<{ name: string; isDir: boolean }>): string[] {
  return entries
    .filter((entry) => entry.name.startsWith(stem) && (stem.startsWith('.') || !entry.name.startsWith('.')))
    .map((entry) => folder + entry.name + (entry.isDir ? '/' : ''))
    .sort();
}

/** A board path being typed in a file magic: what follows its ':' up to the cursor, where the word starts, how it is quoted. */
export interface BoardPathWord {
  path: string;
  start: number;
  quote: WordQuoting;
}

/**
 * The board path word (`:PATH`) that ends at the cursor in a line of a file magic (the
 * "Files" group: `%cp`, `%cat`, `%rlist`..., or a `%%writefile` first line), or undefined.
 * Completing it asks the board, so this only reads the text.
 */
export function boardPathBefore(code: string, cursor: number, magics: MagicRegistry): BoardPathWord | undefined {
  const line = lineBefore(code, cursor);
  const magic = /^(%%?)(\S+)\s/.exec(line.text);
  if (!magic) return undefined;
  const kind = magic[1] === '%%' ? 'cell' : 'line';
  // a cell magic's first line, or a line magic in a cell that is not a cell magic (whose body lines are text)
  const isMagicLine = kind === 'cell' ? line.first : !code.startsWith('%%');
  if (!isMagicLine || magics.get(kind, magic[2])?.group !== 'Files') return undefined;
  const word = shellWordBefore(line.text);
  return word.value.startsWith(':') ? { path: word.value.slice(1), start: cursor - line.text.length + word.start, quote: word.quote } : undefined;
}

/** Help for a magic name under the cursor (`%name` or `%%name`), or undefined. */
export function inspectMagic(code: string, cursor: number, magics: MagicRegistry): Magic | undefined {
  const start = code.lastIndexOf('\n', cursor - 1) + 1;
  const end = code.indexOf('\n', cursor);
  const line = code.slice(start, end < 0 ? code.length : end);
  const name = /^(%%?)([\w-]+)/.exec(line);
  if (!name) return undefined;
  return magics.get(name[1] === '%%' ? 'cell' : 'line', name[2]);
}
