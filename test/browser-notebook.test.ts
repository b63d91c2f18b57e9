// A notebook in a real browser: Debian's classic Jupyter Notebook (6.4) serves it and starts
// the IoT kernel from its installed kernelspec; Debian's Chromium, driven headless by
// playwright-core, runs the cells the way a user does (Shift-Enter, the toolbar's stop
// button) on a virtual board, and the test reads what the page shows.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { eventually, freePort, isolatedJupyter, stopServer } from './helpers';

jest.setTimeout(90_000);

// What the functions run in the page use (this project compiles without the DOM library).
declare const document: { querySelector(selector: string): unknown; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> };
declare const window: { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } };

const CHROMIUM = '/usr/bin/chromium';
// What works for Debian's Chromium as root on a machine without network (shared/reference/jupyter-here.md).
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const CELLS = [
  '%connect virtual://browser',
  'import time\nfor i in range(4):\n    print("tick", i)\n    time.sleep(0.5)',
  'sum(range(10)), "done"',
  'def f():\n    return 1 / 0\nf()',
  'n = 0\nwhile True:\n    n += 1\n    time.sleep(0.05)',
  'n > 0',
];

function notebookJson(): string {
  const cells = CELLS.map((source) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source }));
  const metadata = { kernelspec: { name: 'iot', display_name: 'IoT (MicroPython)', language: 'python' } };
  return JSON.stringify({ cells, metadata, nbformat: 4, nbformat_minor: 5 });
}

/** The classic Notebook server (Debian's jupyter-notebook) in its own folders, on a free port, with the kernelspec installed. */
class NotebookServer {
  private log = '';

  private constructor(
    readonly process: ChildProcess,
    readonly root: string,
    readonly url: string,
  ) {
    process.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    process.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  static async start(): Promise<NotebookServer> {
    const { root, folder, env } = isolatedJupyter('ide49-browser-');
    writeFileSync(join(folder('notebooks'), 'board.ipynb'), notebookJson());
    const token = randomBytes(24).toString('hex');
    const port = await freePort();
    const child = spawn('/usr/bin/python3', [
      '-m', 'notebook',
      `--NotebookApp.token=${token}`,
      `--NotebookApp.port=${port}`,
      '--NotebookApp.port_retries=0',
      '--NotebookApp.ip=127.0.0.1',
      '--NotebookApp.open_browser=False',
      `--NotebookApp.notebook_dir=${join(root, 'notebooks')}`,
      '--allow-root',
    ], { env, cwd: join(root, 'notebooks'), stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new NotebookServer(child, root, `http://127.0.0.1:${port}/notebooks/board.ipynb?token=${token}`);
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`the notebook server exited (is jupyter-notebook installed?):\n${server.log}`);
      if (!(await fetch(`http://127.0.0.1:${port}/api?token=${token}`)).ok) throw new Error('not answering yet');
    }, 30_000);
    return server;
  }

  async stop(): Promise<void> {
    await stopServer(this.process);
    rmSync(this.root, { recursive: true, force: true });
  }
}

describe('a notebook in Chromium through the classic Notebook server', () => {
  let server: NotebookServer;
  let browser: Browser;
  let page: Page;

  const cell = (index: number): Locator => page.locator('#notebook-container .cell').nth(index);
  const prompt = (index: number) => cell(index).locator('.input_prompt');
  const output = (index: number) => cell(index).locator('.output_wrapper');

  /** Clicks into the cell's editor and presses Shift-Enter, as a user runs a cell. */
  async function run(index: number): Promise<void> {
    await cell(index).locator('.CodeMirror').click();
    await page.keyboard.press('Shift+Enter');
  }

  /** Runs a cell (each is run once) and waits for its prompt to get its number: `In [n]`, not `In [ ]` or `In [*]`. */
  /** Output may render a moment after the prompt's number (replies and outputs travel on different channels). */
  async function shows(locator: Locator, text: string | RegExp): Promise<void> {
    await locator.getByText(text).first().waitFor({ timeout: 10_000 });
  }

  async function runToEnd(index: number): Promise<void> {
    await run(index);
    await page.waitForFunction((i) => /\[\d+\]/.test(document.querySelectorAll('#notebook-container .cell .input_prompt')[i]?.textContent ?? ''), index, { timeout: 30_000 });
  }

  beforeAll(async () => {
    server = await NotebookServer.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    page = await browser.newPage();
    await page.goto(server.url);
    // the kernel indicator shows the kernelspec's name once the kernel is up and idle
    await page.waitForFunction(() => {
      return window.Jupyter?.notebook?.kernel?.is_connected() === true && document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null;
    }, undefined, { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  test('the page shows the kernel by its display name', async () => {
    await expect(page.locator('.kernel_indicator_name').textContent()).resolves.toBe('IoT (MicroPython)');
  });

  test('a board cell\'s output appears while it runs, then its prompt gets a number', async () => {
    await runToEnd(0);
    await shows(output(0), /Connected to virtual:\/\/browser: MicroPython v1\.\d+/);
    await run(1);
    await output(1).getByText('tick 0').waitFor({ timeout: 15_000 });
    await expect(prompt(1).textContent()).resolves.toContain('*'); // still running
    await output(1).getByText('tick 3').waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => /In\s*\[2\]/.test(document.querySelectorAll('#notebook-container .cell .input_prompt')[1]?.textContent ?? ''));
  });

  test('a last expression shows as Out[n]; a board exception shows its traceback with the cell\'s lines', async () => {
    await runToEnd(2);
    await shows(output(2), "(45, 'done')");
    await expect(cell(2).locator('.output_prompt').textContent()).resolves.toMatch(/Out\s*\[3\]/);
    await runToEnd(3);
    await shows(cell(3), 'ZeroDivisionError: divide by zero');
    const traceback = await cell(3).locator('.output_error').textContent();
    expect(traceback).toMatch(/Cell In\[4\], line 3[\s\S]*Cell In\[4\], line 2, in f[\s\S]*ZeroDivisionError: divide by zero/);
  });

  test('the toolbar\'s stop button interrupts a running loop; the board keeps its variables', async () => {
    await run(4);
    await page.waitForTimeout(500); // the loop runs
    await expect(prompt(4).textContent()).resolves.toContain('*');
    await page.locator('[data-jupyter-action="jupyter-notebook:interrupt-kernel"]').click();
    await cell(4).locator('.output_error').getByText('KeyboardInterrupt').first().waitFor({ timeout: 10_000 });
    await runToEnd(5);
    await shows(output(5), 'True');
  });
});
