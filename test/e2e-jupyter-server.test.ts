// The IoT kernel run the way a browser runs it: Debian's jupyter_server (1.23) starts the
// kernel from its installed kernelspec, and this test talks to the server only over its
// REST API and the kernel websocket (JSON messages that name their channel), like
// JupyterLab does. The board is a virtual one (real MicroPython in the kernel's worker).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { KernelMessage } from '@jupyterlab/services';
import { WebSocket } from 'ws';
import { eventually, freePort, isolatedJupyter, processesMentioning, stopServer } from './helpers';

jest.setTimeout(30_000);

const SYSTEM_PYTHON = '/usr/bin/python3'; // Debian's, which has jupyter_server

type Channel = 'shell' | 'control' | 'stdin' | 'iopub';
type Message = KernelMessage.IMessage & { channel: Channel };
type Content = Record<string, unknown>;

/** jupyter_server in its own folders (config, data, runtime, kernelspecs, notebooks), on a free port. */
class JupyterServer {
  private log = '';

  private constructor(
    readonly process: ChildProcess,
    readonly root: string,
    readonly baseUrl: string,
    readonly token: string,
  ) {
    process.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    process.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
  }

  static async start(): Promise<JupyterServer> {
    const { root, folder, env } = isolatedJupyter('ide49-e2e-jupyter-');
    const token = randomBytes(24).toString('hex');
    const port = await freePort();
    const child = spawn(SYSTEM_PYTHON, [
      '-m', 'jupyter_server',
      `--ServerApp.token=${token}`,
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0', // a taken port is an error, not another server's port
      '--ServerApp.ip=127.0.0.1',
      '--ServerApp.open_browser=False',
      `--ServerApp.root_dir=${folder('notebooks')}`,
      '--allow-root',
    ], { env, cwd: join(root, 'notebooks'), stdio: ['ignore', 'pipe', 'pipe'] });
    const server = new JupyterServer(child, root, `http://127.0.0.1:${port}`, token);
    await server.waitUntilAnswering();
    return server;
  }

  private async waitUntilAnswering(): Promise<void> {
    await eventually(async () => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) {
        throw new Error(`jupyter_server exited before answering (is python3-jupyter-server installed?):\n${this.log}`);
      }
      const response = await fetch(`${this.baseUrl}/api`);
      if (!response.ok) throw new Error(`GET /api answered ${response.status}`);
    }, 20_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- jupyter_server log ---\n${this.log}`);
    });
  }

  async api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { Authorization: `token ${this.token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  stop(): Promise<void> {
    return stopServer(this.process);
  }

  removeFolders(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

interface ExecuteOutcome {
  reply: Message;
  /** The iopub messages of the request, in arrival order, busy to idle. */
  iopub: Message[];
  stdout: string;
}

/** One kernel websocket, as a browser tab holds it: requests out, replies and iopub matched by parent msg_id. */
class KernelWebSocket {
  readonly session = randomUUID();
  private readonly received: Message[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as Message);
      for (const listener of this.listeners) listener();
    });
  }

  static async open(server: JupyterServer, kernelId: string): Promise<KernelWebSocket> {
    const url = `${server.baseUrl.replace(/^http/, 'ws')}/api/kernels/${kernelId}/channels?session_id=${randomUUID()}&token=${server.token}`;
    const socket = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new KernelWebSocket(socket);
  }

  send(channel: Channel, msgType: string, content: Content): string {
    const msgId = randomUUID();
    const header = { msg_id: msgId, msg_type: msgType, session: this.session, username: 'e2e', date: new Date().toISOString(), version: '5.3' };
    this.socket.send(JSON.stringify({ channel, header, parent_header: {}, metadata: {}, content, buffers: [] }));
    return msgId;
  }

  /** Messages answering `msgId` so far, on one channel. */
  answersTo(msgId: string, channel: Channel): Message[] {
    return this.received.filter((m) => m.channel === channel && (m.parent_header as { msg_id?: string }).msg_id === msgId);
  }

  /** Resolves with `find()`'s first defined result, re-checked on every message. */
  async waitFor<T>(find: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        finish();
        resolve(found);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  async request(channel: Channel, msgType: string, content: Content = {}): Promise<Message> {
    const msgId = this.send(channel, msgType, content);
    const reply = await this.waitFor(() => this.answersTo(msgId, channel)[0], `${msgType} reply on ${channel}`);
    await this.waitForIdle(msgId);
    return reply;
  }

  async waitForIdle(msgId: string, timeoutMs?: number): Promise<Message[]> {
    const isIdle = (m: Message) => m.header.msg_type === 'status' && (m.content as Content).execution_state === 'idle';
    return this.waitFor(() => {
      const iopub = this.answersTo(msgId, 'iopub');
      return iopub.some(isIdle) ? iopub : undefined;
    }, `idle status for ${msgId}`, timeoutMs);
  }

  async execute(code: string, whileRunning?: (msgId: string) => Promise<void>): Promise<ExecuteOutcome> {
    const msgId = this.send('shell', 'execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await whileRunning?.(msgId);
    const reply = await this.waitFor(() => this.answersTo(msgId, 'shell')[0], 'execute_reply');
    const iopub = await this.waitForIdle(msgId);
    const stdout = iopub
      .filter((m) => m.header.msg_type === 'stream' && (m.content as Content).name === 'stdout')
      .map((m) => (m.content as Content).text)
      .join('');
    return { reply, iopub, stdout };
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => this.socket.once('close', resolve));
    this.socket.close();
    await closed;
  }
}

describe('the IoT kernel through jupyter_server (REST API and kernel websocket)', () => {
  let server: JupyterServer;
  let kernelId: string;
  let kernel: KernelWebSocket;
  let boardVersion: string;

  beforeAll(async () => {
    server = await JupyterServer.start();
    const started = await server.api('POST', '/api/kernels', { name: 'iot' });
    expect(started.status).toBe(201);
    kernelId = ((await started.json()) as { id: string }).id;
    kernel = await KernelWebSocket.open(server, kernelId);
  });

  afterAll(async () => {
    await kernel?.close();
    await server?.stop();
    server?.removeFolders();
  });

  test('%connect, then a board cell streams its stdout between busy and idle and replies ok', async () => {
    const connected = await kernel.execute('%connect virtual://e2e');
    expect(connected.reply.content).toMatchObject({ status: 'ok' });
    const [, version] = /^Connected to virtual:\/\/e2e: MicroPython v(\d+\.\d+\.\d+)/.exec(connected.stdout) ?? [];
    expect(version).toBeDefined();
    boardVersion = version;

    const cell = await kernel.execute('for i in range(3): print(i)');
    expect(cell.reply.content).toMatchObject({ status: 'ok' });
    expect(cell.stdout).toBe('0\n1\n2\n');
    const states = cell.iopub.filter((m) => m.header.msg_type === 'status').map((m) => (m.content as Content).execution_state);
    expect(states).toEqual(['busy', 'idle']);
    expect(cell.iopub[0].header.msg_type).toBe('status');
    expect(cell.iopub[cell.iopub.length - 1].header.msg_type).toBe('status');
    expect(cell.iopub.map((m) => m.header.session)).toEqual(cell.iopub.map(() => cell.reply.header.session)); // one kernel session
  });

  test('a board exception is an error reply and an iopub error whose traceback names the cell line', async () => {
    const failed = await kernel.execute('x = 1\ny = 0\nprint(x / y)');
    const content = failed.reply.content as { status: string; ename: string; evalue: string; traceback: string[]; execution_count: number };
    expect(content).toMatchObject({ status: 'error', ename: 'ZeroDivisionError', evalue: 'divide by zero' });
    expect(content.traceback).toContain(`  Cell In[${content.execution_count}], line 3`);
    const published = failed.iopub.find((m) => m.header.msg_type === 'error');
    expect(published?.content).toMatchObject({ ename: 'ZeroDivisionError', traceback: content.traceback });
  });

  test('POST /api/kernels/ID/interrupt stops a running board loop with KeyboardInterrupt; the board stays usable', async () => {
    let interruptedAt = 0;
    const outcome = await kernel.execute('import time\nwhile True: time.sleep(0.1)', async (msgId) => {
      await kernel.waitFor(() => kernel.answersTo(msgId, 'iopub').find((m) => m.header.msg_type === 'execute_input'), 'execute_input');
      await new Promise((resolve) => setTimeout(resolve, 500)); // the loop is running on the board
      interruptedAt = Date.now();
      expect((await server.api('POST', `/api/kernels/${kernelId}/interrupt`)).status).toBe(204);
    });
    expect(outcome.reply.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
    expect(Date.now() - interruptedAt).toBeLessThan(5000);
    expect((await kernel.execute('print("alive")')).stdout).toBe('alive\n');
  });

  test("kernel_info_reply's language_info.version is the board's MicroPython version", async () => {
    expect(boardVersion).toMatch(/^1\.\d+\.\d+$/);
    const info = await kernel.request('shell', 'kernel_info_request');
    expect(info.header.msg_type).toBe('kernel_info_reply');
    expect(info.content).toMatchObject({ status: 'ok', protocol_version: '5.3', language_info: { name: 'python', version: boardVersion } });
  });

  test('DELETE stops the kernel; SIGTERM stops the server; nothing is left running', async () => {
    expect((await server.api('DELETE', `/api/kernels/${kernelId}`)).status).toBe(204);
    expect(await (await server.api('GET', '/api/kernels')).json()).toEqual([]);
    await kernel.close();
    await server.stop();
    expect(server.process.signalCode ?? server.process.exitCode).not.toBe('SIGKILL');
    await eventually(() => expect(processesMentioning(server.root)).toEqual([]), 5000);
  });
});
