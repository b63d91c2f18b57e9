/**
 * How a cell is split into the parts that run in order: a first line starting with `%%`
 * makes the whole cell a cell magic; otherwise lines starting with `%` are line magics,
 * lines starting with `!` run on the host shell, and consecutive other lines form one
 * chunk of board code.
 */
export type CellChunk =
  | { kind: 'cell-magic'; name: string; args: string; body: string }
  | { kind: 'line-magic'; name: string; args: string }
  | { kind: 'shell'; command: string }
  | { kind: 'board'; code: string };

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
  const endBoardChunk = () => {
    if (boardLines.some((line) => line.trim() !== '')) chunks.push({ kind: 'board', code: boardLines.join('\n') });
    boardLines = [];
  };
  for (const line of code.split('\n')) {
    if (line.startsWith('%')) {
      endBoardChunk();
      chunks.push({ kind: 'line-magic', ...splitMagicLine(line) });
    } else if (line.startsWith('!')) {
      endBoardChunk();
      chunks.push({ kind: 'shell', command: line.slice(1) });
    } else {
      boardLines.push(line);
    }
  }
  endBoardChunk();
  return chunks;
}
