import { CellError, type CellContext, type MimeBundle } from '../magics/magic';
import { prefix } from '../magics/registry';
import type { KernelServices } from '../magics/services';
import { runHostShell } from '../magics/host-shell';
import { splitCell, type CellChunk } from './split';

/**
 * Runs a cell's parts in order: magics on the host, `!` lines in the host shell, the
 * rest on the board. The cell's value is the last part's value.
 */
export class CellDispatcher {
  constructor(private readonly services: KernelServices) {}

  async run(code: string, context: CellContext): Promise<MimeBundle | void> {
    let result: MimeBundle | void = undefined;
    // a board being reconnected in the background is waited for (the stop button ends the wait)
    await untilAborted(this.services.board.settled(), context.signal);
    for (const chunk of splitCell(code)) {
      if (context.signal.aborted) throw context.signal.reason;
      result = await this.runChunk(chunk, context);
    }
    return result;
  }

  private runChunk(chunk: CellChunk, context: CellContext): Promise<MimeBundle | void> {
    switch (chunk.kind) {
      case 'cell-magic':
        return this.runMagic('cell', chunk.name, chunk.args, chunk.body, context);
      case 'line-magic':
        return this.runMagic('line', chunk.name, chunk.args, '', context);
      case 'shell':
        return runHostShell(context, chunk.command);
      case 'board':
        return this.services.board.exec(chunk.code, context, chunk.line);
    }
  }

  private async runMagic(kind: 'line' | 'cell', name: string, args: string, body: string, context: CellContext): Promise<MimeBundle | void> {
    const magic = this.services.magics.get(kind, name);
    if (!magic) throw unknownMagic(kind, name, this.services);
    return magic.run({ ...bind(context), services: this.services }, args, body);
  }
}

/** `promise`, or the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function unknownMagic(kind: 'line' | 'cell', name: string, services: KernelServices): CellError {
  const other = kind === 'line' ? 'cell' : 'line';
  const hint = services.magics.get(other, name) ? ` ${prefix(other)}${name} exists as a ${other} magic.` : '';
  return new CellError('UsageError', `Unknown ${kind} magic ${prefix(kind)}${name}.${hint} %lsmagic lists the available magics.`);
}

/** A plain object copy of the context whose methods keep working when destructured. */
function bind(context: CellContext): CellContext {
  return {
    stdout: (text) => context.stdout(text),
    stderr: (text) => context.stderr(text),
    display: (data, options) => context.display(data, options),
    input: (prompt, options) => context.input(prompt, options),
    signal: context.signal,
    cwd: context.cwd,
    executionCount: context.executionCount,
  };
}
