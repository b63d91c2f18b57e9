import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BOARD_CLI = require.resolve('@ide49/virtual-board/dist/src/cli.js');

/** A virtual board served on a pty by its CLI in a child process: a stand-in for a USB board. */
export class PtyBoard {
  private constructor(
    readonly path: string,
    private readonly child: ChildProcess,
    readonly log: () => string,
  ) {}

  /** Starts `virtual-board --pty DIR/NAME`; resolves once it prints `ready PATH`. */
  static async start(options: { dir?: string; ptyName?: string; name?: string; flashDir?: string; link?: string } = {}): Promise<PtyBoard> {
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ide49-device-pty-'));
    const args = [BOARD_CLI, '--pty', join(dir, options.ptyName ?? 'tty'), '--link', options.link ?? 'none'];
    if (options.name) args.push('--name', options.name);
    if (options.flashDir) args.push('--flash', options.flashDir);
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const path = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`virtual board did not print "ready" within 20 s:\n${output}`)), 20_000);
      const check = () => {
        const m = /^ready (\S+)$/m.exec(output);
        if (m) {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          resolve(m[1]);
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`virtual board exited with ${code} before "ready":\n${output}`));
      });
    });
    return new PtyBoard(path, child, () => output);
  }

  /** The port hangs up as an unplugged USB device's does (clients read end of file); the board runs on. Needs root. */
  hangUp(): void {
    this.child.kill('SIGUSR1');
  }

  /** Ends the board process (SIGTERM, or SIGKILL for an "unplug") and waits for it. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    await exited;
  }
}

export function temporaryDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
