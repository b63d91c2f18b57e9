import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { channelAddress, type ConnectionInfo } from '../src/protocol/connection';
import { decodeMessage, encodeMessage, makeHeader, MessageSigner, type WireMessage } from '../src/protocol/wire';

export type { WireMessage };
export type Content = Record<string, unknown>;
type Channel = 'shell' | 'control' | 'stdin';

/** The kernel's entry point in the compiled package. */
export const KERNEL_CLI = join(__dirname, '..', 'src', 'cli.js');

export interface ExecuteOptions {
  silent?: boolean;
  storeHistory?: boolean;
  /** Default true: cells queued behind a failing one are aborted. */
  stopOnError?: boolean;
  /** Answers input_request on stdin; without it allow_stdin is false. */
  onInput?: (prompt: string, password: boolean) => string | Promise<string>;
  timeoutMs?: number;
}

export interface ExecuteOutcome {
  reply: WireMessage;
  /** Every iopub message of the request, status included, in arrival order. */
  iopub: WireMessage[];
  /** The iopub messages between busy and idle except execute_input: stream, display_data, error... */
  outputs: WireMessage[];
  /** All stdout stream text joined (and likewise stderr). */
  stdout: string;
  stderr: string;
}

interface Waiter {
  resolve: (message: WireMessage) => void;
  reject: (error: Error) => void;
}

/** Five free TCP ports on 127.0.0.1 (each found by binding port 0). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

export async function makeConnectionInfo(): Promise<ConnectionInfo> {
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5);
  return { transport: 'tcp', ip: '127.0.0.1', shell_port, iopub_port, stdin_port, control_port, hb_port, key: randomBytes(16).toString('hex'), signature_scheme: 'hmac-sha256' };
}

/**
 * A small Jupyter client over real ZeroMQ sockets for tests and benchmarks: starts the
 * kernel as a process with a fresh connection file (or connects to one running in this
 * process), sends requests on shell/control, collects iopub output per request and
 * answers stdin. Call `close()` (or `shutdown()`) at the end so nothing stays open.
 */
export class KernelTestClient {
  readonly session = randomUUID();
  readonly signer: MessageSigner;
  // Retry connecting every 10 ms (not ZeroMQ's 100 ms) while the kernel is still binding: start-up figures stay honest.
  private readonly sockets = {
    shell: new zmq.Dealer({ routingId: this.session, reconnectInterval: 10 }),
    control: new zmq.Dealer({ routingId: `${this.session}-control`, reconnectInterval: 10 }),
    stdin: new zmq.Dealer({ routingId: this.session, reconnectInterval: 10 }),
  };
  private readonly iopubSocket = new zmq.Subscriber({ reconnectInterval: 10 });
  private readonly sendQueues = new Map<object, Promise<unknown>>();
  private readonly replyWaiters = new Map<string, Waiter>();
  private readonly idleWaiters = new Map<string, Waiter>();
  private readonly iopubByParent = new Map<string, WireMessage[]>();
  private readonly inputHandlers = new Map<string, NonNullable<ExecuteOptions['onInput']>>();
  /** Every iopub message received, in order. */
  readonly iopubLog: WireMessage[] = [];
  /** performance.now() when the kernel process was spawned and when its first shell reply arrived (startup figures). */
  spawnedAt?: number;
  firstReplyAt?: number;
  /** The connection file of a kernel started by `start`. */
  connectionFile?: string;
  private closed = false;

  private constructor(
    readonly info: ConnectionInfo,
    readonly process?: ChildProcess,
    private readonly tempDir?: string,
  ) {
    this.signer = new MessageSigner(info.key);
  }

  /** Starts `node dist/src/cli.js CONNECTION_FILE` and waits until it answers kernel_info with iopub status. */
  static async start(options: { env?: NodeJS.ProcessEnv; cwd?: string; argv?: (connectionFile: string) => string[]; command?: string } = {}): Promise<KernelTestClient> {
    const tempDir = mkdtempSync(join(tmpdir(), 'iot-kernel-test-'));
    const info = await makeConnectionInfo();
    const connectionFile = join(tempDir, 'kernel-test.json');
    writeFileSync(connectionFile, JSON.stringify(info));
    const argv = options.argv?.(connectionFile) ?? [KERNEL_CLI, connectionFile];
    const spawnedAt = performance.now();
    const child = spawn(options.command ?? process.execPath, argv, {
      cwd: options.cwd ?? tempDir,
      env: { ...process.env, JUPYTER_RUNTIME_DIR: tempDir, IOT_KERNEL_LOG: 'warn', ...options.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => client.stderrText.push(text));
    const client = new KernelTestClient(info, child, tempDir);
    client.spawnedAt = spawnedAt;
    client.connectionFile = connectionFile;
    await client.connect();
    return client;
  }

  /** Connects to a kernel that is already listening on `info` (e.g. one started in this process). */
  static async attach(info: ConnectionInfo): Promise<KernelTestClient> {
    const client = new KernelTestClient(info);
    await client.connect();
    return client;
  }

  /** What the kernel process wrote to stderr (its log). */
  readonly stderrText: string[] = [];

  private async connect(): Promise<void> {
    for (const channel of ['shell', 'control', 'stdin'] as const) this.sockets[channel].connect(channelAddress(this.info, channel));
    this.iopubSocket.connect(channelAddress(this.info, 'iopub'));
    this.iopubSocket.subscribe();
    void this.receiveReplies(this.sockets.shell);
    void this.receiveReplies(this.sockets.control);
    void this.receiveStdin();
    void this.receiveIopub();
    await this.waitUntilReady();
  }

  /** PUB/SUB drops messages until the subscription has arrived: retry kernel_info until its status shows up. */
  private async waitUntilReady(timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.process && this.process.exitCode !== null) throw new Error(`the kernel exited with ${this.process.exitCode}: ${this.stderrText.join('')}`);
      const header = this.send('shell', 'kernel_info_request', {});
      const idle = this.waitForIdle(header.msg_id, 500).catch(() => undefined);
      const reply = await this.waitForReply(header.msg_id, 1000).catch(() => undefined);
      if (reply && (await idle)) return;
    }
    throw new Error(`the kernel did not answer kernel_info within ${timeoutMs} ms: ${this.stderrText.join('')}`);
  }

  /** Sends a request; returns its header (msg_id identifies the answers). */
  send(channel: Channel, msgType: string, content: Content, metadata: Content = {}): WireMessage['header'] {
    const header = makeHeader(msgType, this.session, 'test');
    const frames = encodeMessage({ identities: [], header, parent_header: {}, metadata, content, buffers: [] }, this.signer);
    this.sendFrames(channel, frames);
    return header;
  }

  /** Sends frames as they are (e.g. with a wrong signature). */
  sendFrames(channel: Channel, frames: Buffer[]): void {
    const socket = this.sockets[channel];
    const previous = this.sendQueues.get(socket) ?? Promise.resolve();
    this.sendQueues.set(socket, previous.then(() => socket.send(frames)).catch(() => undefined));
  }

  /** A request and its reply. */
  async request(msgType: string, content: Content = {}, channel: Channel = 'shell', timeoutMs = 20000): Promise<WireMessage> {
    const header = this.send(channel, msgType, content);
    return this.waitForReply(header.msg_id, timeoutMs);
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteOutcome> {
    const content = { code, silent: options.silent ?? false, store_history: options.storeHistory ?? true, user_expressions: {}, allow_stdin: Boolean(options.onInput), stop_on_error: options.stopOnError ?? true };
    const header = makeHeader('execute_request', this.session, 'test');
    if (options.onInput) this.inputHandlers.set(header.msg_id, options.onInput);
    this.sendFrames('shell', encodeMessage({ identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] }, this.signer));
    const timeoutMs = options.timeoutMs ?? 20000;
    const [reply, iopub] = await Promise.all([this.waitForReply(header.msg_id, timeoutMs), this.waitForIdle(header.msg_id, timeoutMs)]);
    this.inputHandlers.delete(header.msg_id);
    const outputs = iopub.filter((message) => !['status', 'execute_input'].includes(message.header.msg_type));
    const streamText = (name: string) => outputs.filter((m) => m.header.msg_type === 'stream' && m.content.name === name).map((m) => m.content.text).join('');
    return { reply, iopub, outputs, stdout: streamText('stdout'), stderr: streamText('stderr') };
  }

  waitForReply(msgId: string, timeoutMs = 20000): Promise<WireMessage> {
    return this.wait(this.replyWaiters, msgId, timeoutMs, 'reply');
  }

  /** Resolves with every iopub message of the request once its idle status arrived. */
  async waitForIdle(msgId: string, timeoutMs = 20000): Promise<WireMessage[]> {
    if (!this.isIdle(msgId)) await this.wait(this.idleWaiters, msgId, timeoutMs, 'idle status');
    return this.iopubByParent.get(msgId) ?? [];
  }

  /** The iopub messages received so far for one request. */
  iopubOf(msgId: string): WireMessage[] {
    return this.iopubByParent.get(msgId) ?? [];
  }

  /** shutdown_request on control; resolves with the reply and the kernel process's exit code. */
  async shutdown(restart = false): Promise<{ reply: WireMessage; exitCode: number | null }> {
    const reply = await this.request('shutdown_request', { restart }, 'control');
    const exitCode = await this.exited();
    await this.close();
    return { reply, exitCode };
  }

  /** Resolves with the exit code when the kernel process ends. */
  exited(timeoutMs = 10000): Promise<number | null> {
    const child = this.process;
    if (!child) return Promise.resolve(null);
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the kernel process did not exit')), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  /** Closes the sockets, kills the kernel process if it still runs and removes the temp folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const socket of [...Object.values(this.sockets), this.iopubSocket]) {
      socket.linger = 0;
      socket.close();
    }
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }

  private isIdle(msgId: string): boolean {
    return (this.iopubByParent.get(msgId) ?? []).some((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle');
  }

  private wait(waiters: Map<string, Waiter>, msgId: string, timeoutMs: number, what: string): Promise<WireMessage> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(msgId);
        reject(new Error(`no ${what} for ${msgId} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.set(msgId, {
        resolve: (message) => {
          clearTimeout(timer);
          waiters.delete(msgId);
          resolve(message);
        },
        reject,
      });
    });
  }

  private decode(frames: Buffer[]): WireMessage | undefined {
    try {
      return decodeMessage(frames, this.signer);
    } catch {
      return undefined;
    }
  }

  private async receiveReplies(socket: zmq.Dealer): Promise<void> {
    try {
      for await (const frames of socket) {
        const message = this.decode(frames);
        this.firstReplyAt ??= performance.now();
        const parentId = (message?.parent_header as { msg_id?: string } | undefined)?.msg_id;
        if (message && parentId) this.replyWaiters.get(parentId)?.resolve(message);
      }
    } catch {
      // Closed.
    }
  }

  private async receiveIopub(): Promise<void> {
    try {
      for await (const frames of this.iopubSocket) {
        const message = this.decode(frames);
        if (!message) continue;
        this.iopubLog.push(message);
        const parentId = (message.parent_header as { msg_id?: string }).msg_id;
        if (!parentId) continue;
        this.iopubByParent.set(parentId, [...(this.iopubByParent.get(parentId) ?? []), message]);
        if (message.header.msg_type === 'status' && message.content.execution_state === 'idle') this.idleWaiters.get(parentId)?.resolve(message);
      }
    } catch {
      // Closed.
    }
  }

  private async receiveStdin(): Promise<void> {
    try {
      for await (const frames of this.sockets.stdin) {
        const request = this.decode(frames);
        if (!request || request.header.msg_type !== 'input_request') continue;
        const parentId = (request.parent_header as { msg_id?: string }).msg_id ?? '';
        const handler = this.inputHandlers.get(parentId);
        const value = handler ? await handler(String(request.content.prompt), Boolean(request.content.password)) : '';
        const header = makeHeader('input_reply', this.session, 'test');
        this.sendFrames('stdin', encodeMessage({ identities: [], header, parent_header: request.header, metadata: {}, content: { value }, buffers: [] }, this.signer));
      }
    } catch {
      // Closed.
    }
  }
}
