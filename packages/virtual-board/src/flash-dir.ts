import * as os from 'node:os';
import * as path from 'node:path';

/** Where a board's files live by default: $XDG_DATA_HOME (or ~/.local/share)/ide49/virtual-boards/NAME. */
export function defaultFlashDir(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name === '.' || name === '..') {
    throw new Error(`virtual board name "${name}" cannot name a folder: use letters, digits, ".", "_" and "-"`);
  }
  const dataHome = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(dataHome, 'ide49', 'virtual-boards', name);
}
