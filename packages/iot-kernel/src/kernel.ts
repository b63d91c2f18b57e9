import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoardManager } from './board/board-manager';
import { notebookKey } from './board/remembered';
import { BoardConnection } from './board/session';
import { CellDispatcher, untilAborted } from './cell/dispatcher';
import { helpTarget } from './cell/help';
import { isComplete } from './cell/is-complete';
import { CellOutput } from './cell/output';
import { codePointToIndex, indexToCodePoint } from './codepoints';
import { CommManager } from './comms';
import { boardPathBefore, completeHost, inspectMagic } from './completion';
import { History } from './history';
import type { KernelMessage } from '@jupyterlab/services';
import type { Logger } from './log';
import { magics } from './magics';
import { CellError, type CellContext, type MimeBundle } from './magics/magic';
import { describeMagic, MagicRegistry } from './magics/registry';
import type { KernelServices } from './magics/services';
import type { Content, RequestContext, RequestHandler } from './protocol/server';
import { PROTOCOL_VERSION } from './protocol/wire';

export const KERNEL_VERSION: string = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version;

/** MicroPython follows Python 3.4's syntax (plus parts of later versions): reported until a board tells its own version. */
const DEFAULT_LANGUAGE_VERSION = '3.4';

/** The pager payload of an execute_reply (IPython's `?` help). */
interface PagePayload {
  source: 'page';
  data: MimeBundle;
  start: number;
}

type ContentOf<M extends KernelMessage.IMessage> = M['content'];

/** The content of a request, typed by its message type. */
function contentOf<M extends KernelMessage.IMessage>(context: RequestContext): ContentOf<M> {
  return context.request.content as unknown as ContentOf<M>;
}

/**
 * The IoT kernel's answers to Jupyter requests: cells go to the dispatcher (magics, host
 * shell, board), completion and help to the magics or the board, plus history and comms.
 */
export class IotKernel implements RequestHandler {
  readonly board = new BoardConnection();
  readonly boards: BoardManager;
  readonly magics = new MagicRegistry<KernelServices>(magics);
  readonly comms: CommManager;
  private readonly history = new History();
  private readonly dispatcher: CellDispatcher;
  private executionCount = 0;
  /** Aborts the running cell (stop button). */
  private running?: AbortController;

  constructor(
    private readonly log: Logger,
    publish: (msgType: string, content: Content) => void,
    private readonly cwd = process.cwd(),
  ) {
    this.comms = new CommManager(publish);
    this.boards = new BoardManager(this.board, log, notebookKey(process.env, cwd));
    this.dispatcher = new CellDispatcher({ magics: this.magics, log, board: this.board, boards: this.boards });
  }

  /** SIGINT or interrupt_request: abort the running cell, if any. */
  interrupt(): void {
    this.log.info(this.running ? 'interrupting the running cell' : 'interrupt with no cell running');
    this.running?.abort(new CellError('KeyboardInterrupt', 'Interrupted by the user'));
  }

  async shutdown(restart: boolean): Promise<void> {
    this.interrupt();
    await this.board.detach().catch((error: Error) => this.log.warn(`closing the board failed: ${error.message}`));
    this.log.info(restart ? 'stopping for a restart' : 'stopping');
  }

  async handle(context: RequestContext): Promise<Content | undefined> {
    const msgType = context.request.header.msg_type;
    switch (msgType) {
      case 'kernel_info_request':
        return this.kernelInfo();
      case 'execute_request':
        return this.execute(contentOf<KernelMessage.IExecuteRequestMsg>(context), context);
      case 'complete_request':
        return this.complete(contentOf<KernelMessage.ICompleteRequestMsg>(context));
      case 'inspect_request':
        return this.inspect(contentOf<KernelMessage.IInspectRequestMsg>(context));
      case 'is_complete_request':
        return isComplete(normaliseLineEnds(contentOf<KernelMessage.IIsCompleteRequestMsg>(context).code)) satisfies ContentOf<KernelMessage.IIsCompleteReplyMsg>;
      case 'history_request':
        return { status: 'ok', history: this.history.query(contentOf<KernelMessage.IHistoryRequestMsg>(context)) };
      case 'comm_info_request':
        return { status: 'ok', comms: this.comms.info(contentOf<KernelMessage.ICommInfoRequestMsg>(context).target_name) } satisfies ContentOf<KernelMessage.ICommInfoReplyMsg>;
      case 'comm_open':
        this.comms.open(contentOf<KernelMessage.ICommOpenMsg>(context), context.publish);
        return undefined;
      case 'comm_msg':
        this.comms.message(contentOf<KernelMessage.ICommMsgMsg>(context));
        return undefined;
      case 'comm_close':
        this.comms.close(contentOf<KernelMessage.ICommCloseMsg>(context));
        return undefined;
      case 'interrupt_request':
        this.interrupt();
        return { status: 'ok' } satisfies ContentOf<KernelMessage.IInterruptReplyMsg>;
      case 'shutdown_request':
        return { status: 'ok', restart: Boolean(context.request.content.restart) };
      default:
        this.log.warn(`unsupported request ${msgType} ignored`);
        return msgType.endsWith('_request') ? { status: 'error', ename: 'NotImplementedError', evalue: `${msgType} is not supported by iot-kernel`, traceback: [] } : undefined;
    }
  }

  private kernelInfo(): ContentOf<KernelMessage.IInfoReplyMsg> {
    const board = this.board.current;
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'iot-kernel',
      implementation_version: KERNEL_VERSION,
      language_info: {
        name: 'python',
        version: board?.micropythonVersion ?? DEFAULT_LANGUAGE_VERSION,
        mimetype: 'text/x-python',
        file_extension: '.py',
        codemirror_mode: 'python',
        pygments_lexer: 'python3',
        nbconvert_exporter: 'python',
      },
      banner: `IoT kernel ${KERNEL_VERSION}: cells run on a MicroPython board${board ? ` (connected: ${board.name})` : ''}; %lsmagic lists the magics.`,
      help_links: [
        { text: 'MicroPython documentation', url: 'https://docs.micropython.org/' },
        { text: 'Jupyter documentation', url: 'https://docs.jupyter.org/' },
      ],
    };
  }

  private async execute(request: ContentOf<KernelMessage.IExecuteRequestMsg>, context: RequestContext): Promise<ContentOf<KernelMessage.IExecuteReplyMsg>> {
    const storeHistory = !request.silent && request.store_history !== false;
    if (storeHistory) this.executionCount++;
    const executionCount = this.executionCount;
    const publish = request.silent ? () => undefined : context.publish;
    publish('execute_input', { code: request.code, execution_count: executionCount });
    const output = new CellOutput(publish);
    const abort = new AbortController();
    this.running = abort;
    const payload: PagePayload[] = [];
    try {
      const cell = this.cellContext(request, context, output, abort.signal, storeHistory ? executionCount : undefined);
      const code = normaliseLineEnds(request.code);
      const helpName = helpTarget(code);
      const result = helpName ? await this.help(helpName, cell, payload) : await this.dispatcher.run(code, cell);
      output.flush();
      if (result) publish('execute_result', { execution_count: executionCount, data: result, metadata: {} });
      if (storeHistory) this.history.add(executionCount, request.code, plainText(result));
      return { status: 'ok', execution_count: executionCount, user_expressions: {}, payload: payload as unknown as KernelMessage.IExecuteReply['payload'] };
    } catch (thrown) {
      output.flush();
      if (storeHistory) this.history.add(executionCount, request.code);
      const { ename, evalue, traceback } = toCellError(thrown, this.log);
      publish('error', { ename, evalue, traceback });
      return { status: 'error', execution_count: executionCount, ename, evalue, traceback };
    } finally {
      if (this.running === abort) this.running = undefined;
    }
  }

  /** `name?`: the help of a magic or of a board name goes to the pager (a "page" payload), as in IPython. */
  private async help(name: string, cell: CellContext, payload: PagePayload[]): Promise<void> {
    await untilAborted(this.board.settled(), cell.signal);
    const data = await this.inspectCode(name, name.length, 1);
    if (data) payload.push({ source: 'page', data, start: 0 });
    else cell.stdout(`Object \`${name}\` not found.\n`);
  }

  /** What the cell's magics and board code see: output into this cell, stdin of this request, its stop button. */
  private cellContext(request: ContentOf<KernelMessage.IExecuteRequestMsg>, context: RequestContext, output: CellOutput, signal: AbortSignal, executionCount?: number): CellContext {
    return {
      stdout: (text) => output.stream('stdout', text),
      stderr: (text) => output.stream('stderr', text),
      display: (data, options) => output.display(data, options),
      input: (prompt, options) => {
        output.flush();
        if (!request.allow_stdin) return Promise.reject(new CellError('StdinNotImplementedError', 'This frontend does not support input requests (allow_stdin is false): the cell cannot ask for input here.'));
        return context.requestInput(prompt, Boolean(options?.password), signal);
      },
      signal,
      cwd: this.cwd,
      executionCount,
    };
  }

  private async complete({ code, cursor_pos }: ContentOf<KernelMessage.ICompleteRequestMsg>): Promise<ContentOf<KernelMessage.ICompleteReplyMsg>> {
    const cursor = codePointToIndex(code, cursor_pos);
    const boardPath = boardPathBefore(code, cursor, this.magics);
    const found = boardPath
      ? await this.board.completePath(boardPath, cursor)
      : (completeHost(code, cursor, this.magics, this.cwd) ?? (await this.board.complete(code, cursor)));
    return {
      status: 'ok',
      matches: found.matches,
      cursor_start: indexToCodePoint(code, found.start),
      cursor_end: indexToCodePoint(code, found.end),
      metadata: {},
    };
  }

  private async inspect({ code, cursor_pos, detail_level }: ContentOf<KernelMessage.IInspectRequestMsg>): Promise<ContentOf<KernelMessage.IInspectReplyMsg>> {
    const data = await this.inspectCode(code, codePointToIndex(code, cursor_pos), detail_level ?? 0);
    return { status: 'ok', found: Boolean(data), data: (data ?? {}) as KernelMessage.IInspectReply['data'], metadata: {} };
  }

  /** Help for the magic or board name at `cursor` (a JavaScript index), or undefined. */
  private async inspectCode(code: string, cursor: number, detailLevel: number): Promise<MimeBundle | undefined> {
    const magic = inspectMagic(code, cursor, this.magics);
    return magic ? { 'text/plain': describeMagic(magic) } : this.board.inspect(code, cursor, detailLevel);
  }
}

function plainText(result: MimeBundle | void): string | undefined {
  const text = result?.['text/plain'];
  return typeof text === 'string' ? text : undefined;
}

/** Anything a cell throws becomes a Jupyter error; unexpected ones are logged with their stack. */
function toCellError(thrown: unknown, log: Logger): CellError {
  if (thrown instanceof CellError) return thrown;
  // Packages that cannot import CellError (they sit below the kernel) throw errors of the same shape.
  if (isCellErrorShaped(thrown)) return new CellError(thrown.ename, thrown.evalue, thrown.traceback);
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  log.error(`unexpected failure in a cell: ${error.stack}`);
  return new CellError(error.name || 'Error', error.message);
}

function isCellErrorShaped(value: unknown): value is Pick<CellError, 'ename' | 'evalue' | 'traceback'> {
  const v = value as Partial<CellError> | null;
  return typeof v?.ename === 'string' && typeof v.evalue === 'string' && Array.isArray(v.traceback);
}

/** Notebooks saved on Windows may bring \r\n: MicroPython's lexer reads it as \n, and so must the splitter and the scanners. */
function normaliseLineEnds(code: string): string {
  return code.replace(/\r\n?/g, '\n');
}
