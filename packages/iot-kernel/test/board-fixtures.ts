import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelTestClient, type ExecuteOptions, type ExecuteOutcome } from './client';

/**
 * A kernel process whose every file lives in one temporary folder: the notebook folder
 * (its cwd), XDG data (virtual boards' flash) and Jupyter config (device registry, last
 * boards). `restart` starts a new kernel on the same folders, as reopening a notebook does.
 */
export class BoardKernel {
  private constructor(
    public client: KernelTestClient,
    readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  static async start(env: NodeJS.ProcessEnv = {}): Promise<BoardKernel> {
    const root = mkdtempSync(join(tmpdir(), 'iot-kernel-board-'));
    for (const folder of ['notebook', 'data', 'jupyter-config']) mkdirSync(join(root, folder));
    const fullEnv = { XDG_DATA_HOME: join(root, 'data'), JUPYTER_CONFIG_DIR: join(root, 'jupyter-config'), IOT_BOARD: '', ...env };
    const client = await BoardKernel.launch(root, fullEnv).catch((error) => {
      rmSync(root, { recursive: true, force: true });
      throw error;
    });
    return new BoardKernel(client, root, fullEnv);
  }

  private static launch(root: string, env: NodeJS.ProcessEnv): Promise<KernelTestClient> {
    return KernelTestClient.start({ cwd: join(root, 'notebook'), env });
  }

  async restart(): Promise<void> {
    await this.client.shutdown();
    this.client = await BoardKernel.launch(this.root, this.env);
  }

  /** Runs a cell that must succeed; the error says what the cell answered otherwise. */
  async run(code: string, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    const outcome = await this.client.execute(code, { timeoutMs: 30_000, ...options });
    if (outcome.reply.content.status !== 'ok') throw new Error(`${code.split('\n')[0]} failed: ${JSON.stringify(outcome.reply.content)}\n${outcome.stderr}`);
    return outcome;
  }

  /** Runs a cell that must fail; resolves with its error. */
  async fail(code: string): Promise<{ ename: string; evalue: string; traceback: string[]; outcome: ExecuteOutcome }> {
    const outcome = await this.client.execute(code, { timeoutMs: 30_000 });
    if (outcome.reply.content.status !== 'error') throw new Error(`${code.split('\n')[0]} did not fail: ${outcome.stdout}`);
    return { ...(outcome.reply.content as { ename: string; evalue: string; traceback: string[] }), outcome };
  }

  async close(): Promise<void> {
    await this.client.shutdown().catch(() => this.client.close());
    rmSync(this.root, { recursive: true, force: true });
  }
}

const BOARD_CLI = require.resolve('@ide49/virtual-board/dist/src/cli.js');

/** The virtual board on a pty (its CLI in a child process): what a USB board looks like to the kernel. */
export class PtyBoard {
  private constructor(
    readonly path: string,
    private readonly child: ChildProcess,
  ) {}

  /** Resolves once the CLI printed `ready PATH`. */
  /** `name` makes another board (its machine.unique_id() follows the name). */
  static async start(path: string, flashDir: string, name = 'default'): Promise<PtyBoard> {
    const child = spawn(process.execPath, [BOARD_CLI, '--pty', path, '--flash', flashDir, '--link', 'none', '--name', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the virtual board did not print "ready" within 20 s: ${output}`)), 20_000);
      const collect = (chunk: Buffer) => {
        output += chunk;
        if (/^ready /m.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', collect);
      child.stderr!.on('data', collect);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the virtual board exited with ${code}: ${output}`));
      });
    });
    return new PtyBoard(path, child);
  }

  /** SIGKILL is an unplugged cable: the pty goes away at once. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }
}

