import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What is remembered of a notebook's last board: what the user typed after %connect (a name or URL), and which board it was. */
export interface RememberedBoard {
  target: string;
  url: string;
  /** machine.unique_id() in hex: a different board found at the URL later is not reconnected. */
  uniqueId?: string;
}

/**
 * The notebook a kernel serves, as far as Jupyter lets it know: JPY_SESSION_NAME (the
 * notebook's path, set by jupyter_server 2 and later), else the kernel's working folder
 * (Jupyter starts kernels in the notebook's folder), so under older servers notebooks of
 * one folder share their last board.
 */
export function notebookKey(env: NodeJS.ProcessEnv, cwd: string): string {
  return env.JPY_SESSION_NAME || cwd;
}

/** Next to the device registry: (JUPYTER_CONFIG_DIR or ~/.jupyter)/ide49/last-boards.json */
export function rememberedBoardsPath(env: NodeJS.ProcessEnv = process.env): string {
  // The registry module alone: the whole device library is not needed (nor paid for) at kernel start.
  const { defaultRegistryPath } = require('@ide49/device/dist/src/registry/devices') as typeof import('@ide49/device');
  return join(dirname(defaultRegistryPath(env)), 'last-boards.json');
}

/** Each notebook's last board, in a small JSON file written atomically. */
export class RememberedBoards {
  constructor(readonly path: string = rememberedBoardsPath()) {}

  get(key: string): RememberedBoard | undefined {
    return this.read()[key];
  }

  set(key: string, board: RememberedBoard | undefined): void {
    const all = this.read();
    if (board) all[key] = board;
    else delete all[key];
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(all, null, 2) + '\n');
    renameSync(temporary, this.path);
  }

  private read(): Record<string, RememberedBoard> {
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, RememberedBoard>;
    } catch {
      return {}; // none yet, or unreadable: nothing is remembered
    }
  }
}
