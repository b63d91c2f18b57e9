import { createWriteStream, mkdirSync, promises as fs, type WriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function parseLogLevel(text: string | undefined): LogLevel | undefined {
  const level = text?.trim().toLowerCase();
  return LOG_LEVELS.find((known) => known === level);
}

/** Jupyter's runtime folder, as `jupyter --runtime-dir` computes it. */
export function jupyterRuntimeDir(env = process.env): string {
  if (env.JUPYTER_RUNTIME_DIR) return env.JUPYTER_RUNTIME_DIR;
  const dataDir = env.JUPYTER_DATA_DIR ?? join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
  return join(dataDir, 'runtime');
}

/** kernel-1234.json → <runtime>/iot-kernel-1234.log */
export function logFileFor(connectionFile: string, env = process.env): string {
  const name = basename(connectionFile).replace(/\.json$/, '').replace(/^kernel-/, '');
  return join(jupyterRuntimeDir(env), `iot-kernel-${name}.log`);
}

/** Log files of kernels that have not written for this long are removed when a kernel starts. */
export const LOG_KEEP_DAYS = 7;

/**
 * Removes `iot-kernel-*.log` files in `folder` not written for `keepDays` (a running
 * kernel's log is written at least at its start, so only old kernels' logs go). Returns
 * the names removed; a file that cannot be read or removed is left alone.
 */
export async function pruneOldLogs(folder: string, keepDays = LOG_KEEP_DAYS, now = Date.now()): Promise<string[]> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.filter((n) => /^iot-kernel-.*\.log$/.test(n))) {
    const path = join(folder, name);
    const stat = await fs.stat(path).catch(() => undefined);
    if (!stat || now - stat.mtimeMs < keepDays * 24 * 3600 * 1000) continue;
    if (await fs.rm(path).then(() => true, () => false)) removed.push(name);
  }
  return removed;
}

/** Log lines go to stderr (Jupyter shows them in its own log) and to a file next to the connection file. */
export class Logger {
  private file?: WriteStream;

  constructor(public level: LogLevel = 'info', filePath?: string) {
    if (filePath) this.openFile(filePath);
  }

  error(message: string): void {
    this.write('error', message);
  }
  warn(message: string): void {
    this.write('warn', message);
  }
  info(message: string): void {
    this.write('info', message);
  }
  debug(message: string): void {
    this.write('debug', message);
  }

  get filePath(): string | undefined {
    return this.file?.path.toString();
  }

  close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    return new Promise((resolve) => (file ? file.end(resolve) : resolve()));
  }

  private write(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) > LOG_LEVELS.indexOf(this.level)) return;
    const line = `[iot-kernel ${new Date().toISOString()} ${level.toUpperCase()}] ${message}\n`;
    process.stderr.write(line);
    this.file?.write(line);
  }

  private openFile(path: string): void {
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      this.file = createWriteStream(path, { flags: 'a' });
      // A log file that cannot be written must not stop the kernel: stderr still works.
      this.file.on('error', (error) => {
        process.stderr.write(`[iot-kernel] log file ${path} unusable: ${error.message}\n`);
        this.file = undefined;
      });
    } catch (error) {
      process.stderr.write(`[iot-kernel] cannot create log file ${path}: ${(error as Error).message}\n`);
    }
  }
}
