/**
 * The tiny native addon behind the pty CLI (native/pty.c), compiled with the C compiler
 * against Node's own headers, no node-gyp needed. `npm run build:native -w
 * packages/virtual-board` builds it ahead of time; otherwise the first use builds it
 * (about a second), writing to a temporary name and renaming so concurrent first uses
 * are safe.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface RawPty {
  masterFd: number;
  slaveFd: number;
  slavePath: string;
}

const PACKAGE_DIR = path.join(__dirname, '..', '..', '..');
const SOURCE = path.join(PACKAGE_DIR, 'native', 'pty.c');
const ADDON = path.join(PACKAGE_DIR, 'dist', 'native', 'pty.node');

function nodeIncludeDir(): string {
  const candidates = [path.join(path.dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'node_api.h')));
  if (!found) throw new Error(`Node's C headers (node_api.h) were not found in ${candidates.join(', ')}: install them (Debian: the nodejs package from NodeSource ships them; or libnode-dev)`);
  return found;
}

/** Builds the addon unless an up-to-date one exists; returns its path. */
export function buildNativePty(): string {
  if (fs.existsSync(ADDON) && fs.statSync(ADDON).mtimeMs >= fs.statSync(SOURCE).mtimeMs) return ADDON;
  fs.mkdirSync(path.dirname(ADDON), { recursive: true });
  const temporary = `${ADDON}.${process.pid}.tmp`;
  const compiler = process.env.CC || 'cc';
  try {
    execFileSync(compiler, ['-shared', '-fPIC', '-O2', '-Wall', `-I${nodeIncludeDir()}`, '-o', temporary, SOURCE], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`building the pty addon with ${compiler} failed (install a C compiler, e.g. apt-get install gcc): ${stderr || (error as Error).message}`);
  }
  fs.renameSync(temporary, ADDON);
  return ADDON;
}

interface PtyAddon {
  openRawPty(): RawPty;
  hangUp(fd: number): void;
}

function addon(): PtyAddon {
  return require(buildNativePty()) as PtyAddon;
}

export function openRawPty(): RawPty {
  return addon().openRawPty();
}

/** Hangs the pty up as an unplugged USB serial device does: its clients read end of file (needs root). */
export function hangUpPty(slaveFd: number): void {
  addon().hangUp(slaveFd);
}

if (require.main === module) console.log(buildNativePty());
