// Small helpers shared by the end-to-end tests in this folder.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KERNEL_CLI = join(__dirname, '..', '..', 'packages', 'iot-kernel', 'dist', 'src', 'cli.js');

/** A Jupyter server's own folders under one temporary root, with the iot kernelspec installed there. */
export interface IsolatedJupyter {
  root: string;
  /** `root/name`, created. */
  folder(name: string): string;
  /** The environment that points Jupyter (and the kernel it starts) at these folders only. */
  env: NodeJS.ProcessEnv;
}

export function isolatedJupyter(prefix: string): IsolatedJupyter {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const folder = (name: string) => {
    mkdirSync(join(root, name), { recursive: true });
    return join(root, name);
  };
  const installed = spawnSync(process.execPath, [KERNEL_CLI, 'install', '--prefix', folder('prefix')], { encoding: 'utf8' });
  if (installed.status !== 0) throw new Error(`iot-kernel install failed: ${installed.stderr}`);
  const env = {
    ...process.env,
    JUPYTER_PATH: join(root, 'prefix', 'share', 'jupyter'),
    XDG_DATA_HOME: folder('data'),
    JUPYTER_CONFIG_DIR: folder('config'),
    JUPYTER_DATA_DIR: folder('jupyter-data'),
    JUPYTER_RUNTIME_DIR: folder('runtime'),
    IOT_BOARD: '',
  };
  return { root, folder, env };
}

/** SIGTERM and wait for the exit (a Jupyter server then stops its kernels); SIGKILL after 10 s. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killTimer);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Process ids whose command line contains `text` (a folder only one test uses). */
export function processesMentioning(text: string): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(text);
    } catch {
      return false; // the process ended while we looked
    }
  });
}

/** `check()`'s result once it stops throwing, retried every `intervalMs` for up to `timeoutMs`. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
