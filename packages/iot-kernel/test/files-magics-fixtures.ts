import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelTestClient, type ExecuteOutcome, type WireMessage } from './client';

/**
 * A kernel process for the file magic tests, with everything it may touch in one temporary
 * folder: the notebook's folder (its cwd), HOME, XDG data (virtual boards' flash lives in
 * DATA/ide49/virtual-boards/NAME), XDG and Jupyter config.
 */
export class FilesKernel {
  private constructor(
    readonly client: KernelTestClient,
    private readonly root: string,
    readonly notebook: string,
  ) {}

  static async start(): Promise<FilesKernel> {
    const root = mkdtempSync(join(tmpdir(), 'iot-kernel-files-'));
    const folder = (name: string) => (mkdirSync(join(root, name)), join(root, name));
    const notebook = folder('notebook');
    const env = { HOME: folder('home'), XDG_DATA_HOME: folder('data'), XDG_CONFIG_HOME: folder('config'), JUPYTER_CONFIG_DIR: folder('jupyter-config'), JUPYTER_DATA_DIR: folder('jupyter-data') };
    const client = await KernelTestClient.start({ cwd: notebook, env }).catch((error) => {
      rmSync(root, { recursive: true, force: true });
      throw error;
    });
    return new FilesKernel(client, root, notebook);
  }

  /** The flash folder of the in-process virtual board `virtual://NAME` (the board's default under XDG_DATA_HOME). */
  flashOf(name: string): string {
    return join(this.root, 'data', 'ide49', 'virtual-boards', name);
  }

  /** A path in the kernel's home folder. */
  inHome(...parts: string[]): string {
    return join(this.root, 'home', ...parts);
  }

  /** A path in the notebook's folder. */
  inNotebook(...parts: string[]): string {
    return join(this.notebook, ...parts);
  }

  /** Runs a cell that must succeed; the error says what the cell answered otherwise. */
  async run(code: string, timeoutMs = 30_000): Promise<ExecuteOutcome> {
    const outcome = await this.client.execute(code, { timeoutMs });
    if (outcome.reply.content.status !== 'ok') throw new Error(`${code.split('\n')[0]} failed: ${JSON.stringify(outcome.reply.content)}`);
    return outcome;
  }

  /** Runs a cell that must fail; resolves with its error (ename, evalue). The failure does not abort the next cells. */
  async fail(code: string): Promise<{ ename: string; evalue: string }> {
    const outcome = await this.client.execute(code, { stopOnError: false });
    if (outcome.reply.content.status !== 'error') throw new Error(`${code.split('\n')[0]} did not fail: ${outcome.stdout}`);
    return outcome.reply.content as { ename: string; evalue: string };
  }

  async close(): Promise<void> {
    await this.client.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The display_data and update_display_data messages of a cell, in order. */
export function displaysOf(outcome: Pick<ExecuteOutcome, 'outputs'>): WireMessage[] {
  return outcome.outputs.filter((m) => m.header.msg_type === 'display_data' || m.header.msg_type === 'update_display_data');
}

/** The text/plain of a display message. */
export function plainOf(message: WireMessage): string {
  return String((message.content.data as Record<string, unknown>)['text/plain']);
}
