import type { KernelMessage } from '@jupyterlab/services';

/** A MIME bundle as in display_data / execute_result. */
export type MimeBundle = KernelMessage.IDisplayDataMsg['content']['data'];

/**
 * What a magic (or board code) may do with the cell that runs it. The kernel turns
 * these calls into iopub/stdin messages; magics never see the wire protocol.
 */
export interface CellContext {
  /** Live output into the cell (stream messages; the kernel batches them). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** display_data; with `update: true` an update_display_data of an earlier `displayId`. */
  display(data: MimeBundle, options?: { displayId?: string; update?: boolean }): void;
  /** input_request on stdin; rejects with CellError('StdinNotImplementedError') when the client does not allow stdin. */
  input(prompt: string, options?: { password?: boolean }): Promise<string>;
  /** Aborted when the user presses stop (SIGINT or interrupt_request). */
  readonly signal: AbortSignal;
  /** The notebook's folder: host paths in magics are relative to it. */
  readonly cwd: string;
  /** The cell's execution count (In[n]); undefined for silent requests. */
  readonly executionCount?: number;
}

/** A failure that becomes a Jupyter error (iopub `error` + reply with status "error"). */
export class CellError extends Error {
  constructor(
    readonly ename: string,
    readonly evalue: string,
    readonly traceback: string[] = [`${ename}: ${evalue}`],
  ) {
    super(`${ename}: ${evalue}`);
    this.name = 'CellError';
  }
}

/**
 * One magic. Each magic is one small module exporting one of these, registered in
 * `magics/index.ts`. `line` magics get the text after `%name`; `cell` magics get
 * the first line's arguments and the cell body (everything after the first line).
 */
export interface Magic<Services = unknown> {
  readonly name: string;
  readonly kind: 'line' | 'cell';
  /** Heading under which `%lsmagic` lists it, e.g. "Host", "Board", "Files", "Services". */
  readonly group: string;
  /** One line of help for `%lsmagic`. */
  readonly help: string;
  /** Usage synopsis, e.g. "%%writefile [-a] PATH". */
  readonly usage: string;
  /** Resolves with a MIME bundle when the magic has a value to show as the cell's result (execute_result). */
  run(context: CellContext & { services: Services }, args: string, body: string): Promise<MimeBundle | void>;
}
