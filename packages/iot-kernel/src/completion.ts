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
  const word = /[^\s!'"=]*$/.exec(lineText)![0];
  const slash = word.lastIndexOf('/');
  const folder = word.slice(0, slash + 1);
  const stem = word.slice(slash + 1);
  let matches: string[] = [];
  try {
    // The shell expands ~/ to the home folder, so completion does too.
    const where = folder.startsWith('~/') ? join(homedir(), folder.slice(2)) : resolve(cwd, folder || '.');
    matches = readdirSync(where, { withFileTypes: true })
      .filter((entry) => entry.name.startsWith(stem) && (stem.startsWith('.') || !entry.name.startsWith('.')))
      .map((entry) => folder + entry.name + (entry.isDirectory() ? '/' : ''))
      .sort();
  } catch {
    // No such folder: nothing to offer.
  }
  return { matches, start: cursor - word.length, end: cursor };
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
