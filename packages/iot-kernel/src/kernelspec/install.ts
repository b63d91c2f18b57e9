import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { logoPng } from './logo';

export const DEFAULT_NAME = 'iot';
export const DEFAULT_DISPLAY_NAME = 'IoT (MicroPython)';

/**
 * Where a kernelspec goes, as `jupyter kernelspec install` names it: --user is the
 * user's Jupyter data folder, --sys-prefix the sys.prefix of the Python that runs `jupyter`
 * (a virtualenv's or conda's, /usr for Debian's),
 * --prefix DIR is DIR/share/jupyter/kernels, and "system" is /usr/local/share/jupyter/kernels.
 */
export type SpecLocation = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'system' } | { kind: 'prefix'; dir: string };

export function kernelsDir(location: SpecLocation, env = process.env): string {
  switch (location.kind) {
    case 'user':
      return join(env.JUPYTER_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter'), 'kernels');
    case 'sys-prefix':
      return join(jupyterSysPrefix(env), 'share', 'jupyter', 'kernels');
    case 'system':
      return '/usr/local/share/jupyter/kernels';
    case 'prefix':
      return join(resolve(location.dir), 'share', 'jupyter', 'kernels');
  }
}

/**
 * sys.prefix of the Python behind the `jupyter` command on PATH (read from its `#!` line),
 * else of `python3` on PATH, else /usr.
 */
export function jupyterSysPrefix(env = process.env): string {
  const jupyter = findOnPath('jupyter', env);
  const shebang = jupyter ? /^#!\s*(\S+)/.exec(readFileSync(jupyter, 'utf8').slice(0, 256))?.[1] : undefined;
  for (const python of [shebang, findOnPath('python3', env)]) {
    if (!python) continue;
    try {
      const prefix = execFileSync(python, ['-c', 'import sys; print(sys.prefix)'], { env, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (prefix) return prefix;
    } catch {
      // not a usable Python: try the next one
    }
  }
  return '/usr';
}

function findOnPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, command))
    .find((path) => existsSync(path));
}

/** Without a flag: the system folder for root (as jupyter does), the user's folder otherwise (where jupyter would fail). */
export function defaultLocation(): SpecLocation {
  return process.getuid?.() === 0 ? { kind: 'system' } : { kind: 'user' };
}

export interface InstallOptions {
  location: SpecLocation;
  name: string;
  displayName: string;
  /** The script Jupyter starts (this package's dist/src/cli.js). */
  entryPoint: string;
}

/** Writes kernel.json and the logos; returns the kernelspec folder. */
export function installKernelspec(options: InstallOptions): string {
  const dir = join(kernelsDir(options.location), options.name);
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, resolve(options.entryPoint), '{connection_file}'],
    display_name: options.displayName,
    language: 'python',
    interrupt_mode: 'signal',
    metadata: { debugger: false },
  };
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
  writeFileSync(join(dir, 'logo-32x32.png'), logoPng(32));
  writeFileSync(join(dir, 'logo-64x64.png'), logoPng(64));
  return dir;
}

/** Removes the kernelspec from the given location, or from every standard one; returns the folders removed. */
export function uninstallKernelspec(name: string, location?: SpecLocation): string[] {
  const locations: SpecLocation[] = location ? [location] : [{ kind: 'user' }, { kind: 'system' }, { kind: 'sys-prefix' }];
  const removed: string[] = [];
  for (const where of locations) {
    const dir = join(kernelsDir(where), name);
    if (!existsSync(join(dir, 'kernel.json'))) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
