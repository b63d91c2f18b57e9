import { randomUUID } from 'node:crypto';
import * as zmq from 'zeromq';
import type { Logger } from '../log';
import { channelAddress, type ConnectionInfo } from './connection';
import { decodeMessage, encodeMessage, makeHeader, MessageSigner, SignatureError, type WireMessage } from './wire';

/** A message content: any JSON object (the kernel uses the KernelMessage types of @jupyterlab/services). */
export type Content = object;
export type RequestChannel = 'shell' | 'control';

/** What a request handler may do while it answers one request. */
export interface RequestContext {
  readonly request: WireMessage;
  readonly channel: RequestChannel;
  /** An iopub message whose parent is this request. */
  publish(msgType: string, content: Content, metadata?: Record<string, unknown>): void;
  /** input_request on stdin to the client that sent this request; resolves with its input_reply value. */
  requestInput(prompt: string, password: boolean, signal: AbortSignal): Promise<string>;
}

/**
 * The kernel behind the protocol: answers requests by content. The server knows nothing
 * about cells, magics or boards.
 */
export interface RequestHandler {
  /** Resolves with the reply content, or undefined for messages without a reply (comm_open, comm_msg, comm_close). */
  handle(context: RequestContext): Promise<Content | undefined>;
  /** Called after a shutdown_request was answered, before the sockets close. */
  shutdown(restart: boolean): Promise<void>;
}

/** One send at a time per socket (zeromq v6 rejects overlapping sends), in call order. */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: zmq.Writable,
    private readonly log: Logger,
  ) {}

  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(
      () => this.socket.send(frames),
    ).catch((error: Error) => this.log.warn(`send failed: ${error.message}`));
    return this.tail;
  }

  /** Resolves when everything queued so far has been handed to ZeroMQ. */
  drained(): Promise<void> {
    return this.tail;
  }
}

/**
 * Jupyter messaging protocol 5.3 over ZeroMQ: shell, control and stdin as ROUTER,
 * iopub as PUB, heartbeat as REP. Every request is wrapped in busy/idle status messages;
 * shell requests are handled one after another, control requests independently of them.
 */
export class KernelServer {
  /** One session id for the kernel process (JupyterLab ignores messages from another session). */
  readonly session = randomUUID();
  private readonly signer: MessageSigner;
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private readonly heartbeat = new zmq.Reply();
  private readonly iopubQueue: SendQueue;
  private unsentIopub: WireMessage<Content>[] = [];
  private readonly shellQueue: SendQueue;
  private readonly controlQueue: SendQueue;
  private readonly stdinQueue: SendQueue;
  private readonly pendingInputs = new Map<string, (value: string) => void>();
  private stopping = false;
  /** Set when a cell failed with stop_on_error: execute requests already queued are answered "aborted". */
  private abortingQueuedCells = false;
  private resolveStopped!: () => void;
  /** Set by serve(), before any request is read. */
  private handler!: RequestHandler;
  /** Resolves once a shutdown_request has been answered and the sockets are closed. */
  readonly stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));

  constructor(
    readonly info: ConnectionInfo,
    private readonly log: Logger,
  ) {
    this.signer = new MessageSigner(info.key);
    this.iopubQueue = new SendQueue(this.iopub, log);
    this.shellQueue = new SendQueue(this.shell, log);
    this.controlQueue = new SendQueue(this.control, log);
    this.stdinQueue = new SendQueue(this.stdin, log);
  }

  /**
   * Binds the sockets. Clients may connect right away: their handshakes, subscriptions and
   * first requests (queued by ZeroMQ) proceed while the kernel behind is still being loaded.
   */
  async bind(): Promise<void> {
    await Promise.all([
      this.shell.bind(channelAddress(this.info, 'shell')),
      this.control.bind(channelAddress(this.info, 'control')),
      this.stdin.bind(channelAddress(this.info, 'stdin')),
      this.iopub.bind(channelAddress(this.info, 'iopub')),
      this.heartbeat.bind(channelAddress(this.info, 'hb')),
    ]);
    void this.serveHeartbeat();
  }

  /** Starts answering requests (bind first). */
  serve(handler: RequestHandler): void {
    this.handler = handler;
    void this.serveRequests(this.shell, 'shell', this.shellQueue);
    void this.serveRequests(this.control, 'control', this.controlQueue);
    void this.serveStdin();
    this.publish('status', { execution_state: 'starting' });
    this.log.info(`listening on ${channelAddress(this.info, 'shell')} (shell) and the next ports; session ${this.session}`);
  }

  /**
   * An iopub message; `parent` is the request it belongs to (none for kernel-wide news).
   * Signing and sending wait for the next turn of the event loop (or the request's reply),
   * in order: a cell's code reaches the board before its busy and execute_input messages
   * cost anything.
   */
  publish(msgType: string, content: Content, parent?: WireMessage, metadata: Record<string, unknown> = {}): void {
    const header = makeHeader(msgType, this.session);
    const topic = Buffer.from(`kernel.${this.session}.${msgType}`);
    this.unsentIopub.push({ identities: [topic], header, parent_header: parent?.header ?? {}, metadata, content, buffers: [] });
    if (this.unsentIopub.length === 1) setImmediate(() => this.sendIopub());
  }

  private sendIopub(): void {
    const messages = this.unsentIopub;
    this.unsentIopub = [];
    for (const message of messages) void this.iopubQueue.send(encodeMessage(message, this.signer));
  }

  async close(): Promise<void> {
    if (this.stopping) return this.stopped;
    this.stopping = true;
    // Let queued replies and status messages leave before the sockets go.
    this.sendIopub();
    await Promise.all([this.iopubQueue, this.shellQueue, this.controlQueue, this.stdinQueue].map((queue) => queue.drained()));
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.heartbeat]) {
      socket.linger = 1000;
      socket.close();
    }
    this.resolveStopped();
  }

  private async serveHeartbeat(): Promise<void> {
    try {
      for await (const frames of this.heartbeat) await this.heartbeat.send(frames);
    } catch (error) {
      if (!this.stopping) this.log.error(`heartbeat stopped: ${(error as Error).message}`);
    }
  }

  private async serveRequests(socket: zmq.Router, channel: RequestChannel, replies: SendQueue): Promise<void> {
    try {
      for await (const frames of socket) {
        const request = this.receive(frames, channel);
        if (request && channel === 'shell' && this.abortingQueuedCells && request.header.msg_type === 'execute_request') await this.abort(request, replies);
        else if (request) await this.answer(request, channel, replies, () => socket.readable);
        // Aborting ends with the requests that were already waiting when the cell failed.
        if (channel === 'shell' && !socket.readable) this.abortingQueuedCells = false;
        if (this.stopping) break;
      }
    } catch (error) {
      if (!this.stopping) this.log.error(`${channel} channel stopped: ${(error as Error).message}`);
    }
  }

  private async serveStdin(): Promise<void> {
    try {
      for await (const frames of this.stdin) {
        const reply = this.receive(frames, 'stdin');
        if (!reply || reply.header.msg_type !== 'input_reply') continue;
        const parentId = (reply.parent_header as { msg_id?: string }).msg_id ?? '';
        const resolve = this.pendingInputs.get(parentId);
        if (resolve) resolve(String(reply.content.value ?? ''));
        else this.log.warn(`input_reply for an unknown input_request ${parentId} dropped`);
      }
    } catch (error) {
      if (!this.stopping) this.log.error(`stdin channel stopped: ${(error as Error).message}`);
    }
  }

  /** Decodes and verifies; a message with a bad or missing signature is dropped and logged. */
  private receive(frames: Buffer[], channel: string): WireMessage | undefined {
    try {
      const message = decodeMessage(frames, this.signer);
      this.log.debug(`${channel} <- ${message.header.msg_type} ${message.header.msg_id}`);
      return message;
    } catch (error) {
      const reason = error instanceof SignatureError ? error.message : `undecodable (${(error as Error).message})`;
      this.log.warn(`dropped a message on ${channel}: ${reason}`);
      return undefined;
    }
  }

  /** `queued` tells whether more requests are already waiting on the channel. */
  private async answer(request: WireMessage, channel: RequestChannel, replies: SendQueue, queued: () => boolean): Promise<void> {
    const msgType = request.header.msg_type;
    this.publish('status', { execution_state: 'busy' }, request);
    let content: Content | undefined;
    try {
      content = await this.handler.handle(this.contextFor(request, channel));
    } catch (error) {
      this.log.error(`${msgType} failed: ${(error as Error).stack ?? error}`);
      content = { status: 'error', ename: 'InternalError', evalue: (error as Error).message, traceback: [] };
    }
    const failed = (content as { status?: string } | undefined)?.status === 'error';
    // Only cells sent before the client could know of the failure are aborted: look before replying.
    if (channel === 'shell' && msgType === 'execute_request' && failed && request.content.stop_on_error !== false) this.abortingQueuedCells = queued();
    if (content && msgType.endsWith('_request')) {
      await this.reply(request, content, replies);
      if (msgType === 'shutdown_request') this.publish('shutdown_reply', content, request);
    }
    this.publish('status', { execution_state: 'idle' }, request);
    if (msgType === 'shutdown_request') await this.shutdown(Boolean(request.content.restart));
  }

  /** A cell queued behind one that failed (with stop_on_error) does not run, as in ipykernel. */
  private async abort(request: WireMessage, replies: SendQueue): Promise<void> {
    this.log.info(`execute_request ${request.header.msg_id} aborted: an earlier cell failed`);
    this.publish('status', { execution_state: 'busy' }, request);
    await this.reply(request, { status: 'aborted' }, replies);
    this.publish('status', { execution_state: 'idle' }, request);
  }

  private reply(request: WireMessage, content: Content, replies: SendQueue): Promise<void> {
    this.sendIopub(); // a request's outputs leave before its reply, as clients expect
    const header = makeHeader(request.header.msg_type.replace(/_request$/, '_reply'), this.session);
    return replies.send(encodeMessage({ identities: request.identities, header, parent_header: request.header, metadata: {}, content, buffers: [] }, this.signer));
  }

  private async shutdown(restart: boolean): Promise<void> {
    this.log.info(`shutdown_request (restart: ${restart})`);
    await this.handler.shutdown(restart);
    await this.close();
  }

  private contextFor(request: WireMessage, channel: RequestChannel): RequestContext {
    return {
      request,
      channel,
      publish: (msgType, content, metadata) => this.publish(msgType, content, request, metadata),
      requestInput: (prompt, password, signal) => this.requestInput(request, prompt, password, signal),
    };
  }

  private requestInput(request: WireMessage, prompt: string, password: boolean, signal: AbortSignal): Promise<string> {
    const header = makeHeader('input_request', this.session);
    return new Promise<string>((resolve, reject) => {
      const settle = () => {
        this.pendingInputs.delete(header.msg_id);
        signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        settle();
        reject(signal.reason);
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', onAbort);
      this.pendingInputs.set(header.msg_id, (value) => {
        settle();
        resolve(value);
      });
      const message: WireMessage = { identities: request.identities, header, parent_header: request.header, metadata: {}, content: { prompt, password }, buffers: [] };
      this.sendIopub(); // output printed before input() is shown before the prompt
      void this.stdinQueue.send(encodeMessage(message, this.signer));
    });
  }
}
