import type { BoardException } from '@ide49/device';
import { CellError } from '../magics/magic';

/** `  File "<stdin>", line 3, in f` as MicroPython prints a frame of code sent through the REPL. */
const STDIN_FRAME = /^(\s*)File "<stdin>", line (\d+), in (\S+)$/;

/**
 * Which cell last defined each function or class, so a traceback frame of code sent in
 * an earlier cell can name that cell (MicroPython calls every REPL source "<stdin>").
 */
export class CellDefinitions {
  private readonly cellOf = new Map<string, number>();

  record(code: string, executionCount: number | undefined): void {
    if (executionCount === undefined) return;
    for (const match of code.matchAll(/^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/gm)) this.cellOf.set(match[1], executionCount);
  }

  cellDefining(name: string): number | undefined {
    return this.cellOf.get(name);
  }
}

export interface RunningCell {
  /** The cell's source as sent: its line L is the cell's line L. */
  code: string;
  executionCount?: number;
}

/**
 * A MicroPython exception as a Jupyter error. Frames of REPL code read like IPython's:
 * `Cell In[5], line 3` with the source line underneath when it is this cell's; frames in
 * files on the board stay as the board printed them.
 */
export function boardCellError(exception: BoardException, cell: RunningCell, definitions: CellDefinitions): CellError {
  const lines = cell.code.split('\n');
  const traceback = exception.traceback.flatMap((line) => {
    const frame = STDIN_FRAME.exec(line);
    if (!frame) return [line];
    const [, indent, lineText, functionName] = frame;
    const inModule = functionName === '<module>';
    const count = inModule ? cell.executionCount : definitions.cellDefining(functionName);
    if (!inModule && count === undefined) return [line];
    const where = `${indent}Cell ${count === undefined ? 'In[ ]' : `In[${count}]`}, line ${lineText}${inModule ? '' : `, in ${functionName}`}`;
    const source = count === cell.executionCount ? lines[Number(lineText) - 1]?.trim() : undefined;
    return source ? [where, `${indent}    ${source}`] : [where];
  });
  return new CellError(exception.type, exception.message, traceback);
}
