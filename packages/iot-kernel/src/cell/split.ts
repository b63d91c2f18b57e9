import { hostLineFlags } from './host-lines';

/**
 * How a cell is split into the parts that run in order: a first line starting with `%%`
 * makes the whole cell a cell magic; otherwise lines starting with `%` are line magics,
 * lines starting with `!` run on the host shell (both only where a Python logical line
 * starts: see hostLineFlags), and consecutive other lines form one chunk of board code.
 */
export type CellChunk =
  | { kind: 'cell-magic'; name: string; args: string; body: string }
  | { kind: 'line-magic'; name: string; args: string }
  | { kind: 'shell'; command: string }
  /** `line`: the cell line (1-based) the chunk starts on, so board tracebacks can name cell lines. */
  | { kind: 'board'; code: string; line: number };

/** `%name rest` → ["name", "rest"]; the name ends at the first whitespace. */
export function splitMagicLine(line: string): { name: string; args: string } {
  const match = /^%{1,2}(\S*)\s*(.*)$/s.exec(line);
  return { name: match?.[1] ?? '', args: (match?.[2] ?? '').trim() };
}

export function splitCell(code: string): CellChunk[] {
  if (code.startsWith('%%')) {
    const newline = code.indexOf('\n');
    const firstLine = newline < 0 ? code : code.slice(0, newline);
    return [{ kind: 'cell-magic', ...splitMagicLine(firstLine), body: newline < 0 ? '' : code.slice(newline + 1) }];
  }
  const chunks: CellChunk[] = [];
  let boardLines: string[] = [];
  let boardStart = 1;
  const endBoardChunk = (nextLine: number) => {
    if (boardLines.some((line) => line.trim() !== '')) chunks.push({ kind: 'board', code: boardLines.join('\n'), line: boardStart });
    boardLines = [];
    boardStart = nextLine;
  };
  const isHostLine = hostLineFlags(code);
  for (const [index, line] of code.split('\n').entries()) {
    if (!isHostLine[index]) {
      boardLines.push(line);
      continue;
    }
    endBoardChunk(index + 2);
    if (line.startsWith('%')) chunks.push({ kind: 'line-magic', ...splitMagicLine(line) });
    else chunks.push({ kind: 'shell', command: line.slice(1) });
  }
  endBoardChunk(0);
  return chunks;
}
