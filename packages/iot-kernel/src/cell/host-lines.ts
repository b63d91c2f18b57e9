/**
 * Which lines of a cell run on the host: a line starting with `%` (a line magic) or `!`
 * (the host shell) where a Python logical line would start, as IPython reads them. Inside
 * a (triple-quoted) string, open brackets or after a backslash continuation, such a line
 * is Python text for the board: `"""\n!!! warning\n"""` stays one string.
 */
export function hostLineFlags(code: string): boolean[] {
  const state: PythonState = { depth: 0, continued: false };
  return code.split('\n').map((line) => {
    const atLogicalStart = !state.openString && state.depth === 0 && !state.continued;
    if (atLogicalStart && (line.startsWith('%') || line.startsWith('!'))) return true;
    readPythonLine(line, state);
    return false;
  });
}

/** Where the reading of Python source stands at the end of a line. */
interface PythonState {
  /** The quote of a string still open: `"""`, `'''`, or `"`/`'` continued by a backslash. */
  openString?: string;
  depth: number;
  continued: boolean;
}

function readPythonLine(line: string, state: PythonState): void {
  state.continued = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (state.openString) {
      if (char === '\\') {
        if (i === line.length - 1) return; // the string goes on on the next line
        i++;
      } else if (line.startsWith(state.openString, i)) {
        i += state.openString.length - 1;
        state.openString = undefined;
      }
    } else if (char === '#') {
      break;
    } else if (char === '"' || char === "'") {
      state.openString = line.startsWith(char.repeat(3), i) ? char.repeat(3) : char;
      i += state.openString.length - 1;
    } else if ('([{'.includes(char)) {
      state.depth++;
    } else if (')]}'.includes(char)) {
      state.depth = Math.max(0, state.depth - 1);
    } else if (char === '\\' && i === line.length - 1) {
      state.continued = true;
    }
  }
  // a one-quote string cannot span lines without a backslash: the board will say so
  if (state.openString?.length === 1) state.openString = undefined;
}
