/**
 * Where a cell's last statement is an expression whose value the notebook shows (Out[n]),
 * as IPython does. Found by reading the source, not by running it, so the answer is
 * conservative: anything that is not surely a plain expression statement (assignments,
 * annotations, `lambda`, statements with keywords, several statements on one line, a
 * trailing `;` that asks for no output) is left alone and runs as it is.
 */
export interface LastExpression {
  /** The expression is code.slice(start, end); what follows it is only a comment and blanks. */
  start: number;
  end: number;
}

const STATEMENT_KEYWORD =
  /^(?:and|as|assert|async|await|break|class|continue|def|del|elif|else|except|finally|for|from|global|if|import|in|is|lambda|nonlocal|or|pass|raise|return|try|while|with|yield)\b/;

/** The statement being read: where it starts and what rules it out as an expression. */
interface Statement {
  start: number;
  indented: boolean;
  /** Just past its last character that is code (not a comment or blank). */
  end: number;
  notExpression: boolean;
}

export function lastExpression(code: string): LastExpression | undefined {
  let statement: Statement | undefined;
  let depth = 0;
  let openString: string | undefined;
  let continued = false;
  for (let i = 0; i < code.length; i++) {
    if ((i === 0 || code[i - 1] === '\n') && !openString && depth === 0 && !continued) {
      const first = i + /^[ \t]*/.exec(code.slice(i, i + 200))![0].length;
      if (first < code.length && code[first] !== '\n' && code[first] !== '#' && code[first] !== '\r') {
        statement = { start: first, indented: first > i, end: first, notExpression: STATEMENT_KEYWORD.test(code.slice(first, first + 12)) || code[first] === '@' };
      }
    }
    continued = false;
    const char = code[i];
    if (openString) {
      if (char === '\\') i++;
      else if (code.startsWith(openString, i)) {
        i += openString.length - 1;
        openString = undefined;
      }
      if (statement) statement.end = i + 1;
      continue;
    }
    if (char === '#') {
      const newline = code.indexOf('\n', i);
      i = (newline < 0 ? code.length : newline) - 1;
      continue;
    }
    if (char === '\\' && code[i + 1] === '\n') {
      continued = true;
      i++;
      continue;
    }
    if (/\s/.test(char)) continue;
    if (statement) statement.end = i + 1;
    if (char === '"' || char === "'") openString = code.startsWith(char.repeat(3), i) ? char.repeat(3) : char;
    if (openString) i += openString.length - 1;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && statement && isStatementOnly(code, i)) statement.notExpression = true;
  }
  if (!statement || statement.indented || statement.notExpression || depth > 0 || openString || continued) return undefined;
  return { start: statement.start, end: statement.end };
}

/** At depth 0: `=` of an assignment (not of ==, !=, <=, >=), `:` (annotation, lambda, one-line block), `;`. */
function isStatementOnly(code: string, i: number): boolean {
  const char = code[i];
  if (char === ':' || char === ';') return true;
  if (char !== '=') return false;
  if (code[i + 1] === '=') return false; // the first of ==
  const before = code.slice(Math.max(0, i - 2), i);
  if (before === '>>' || before === '<<') return true; // >>= and <<=
  return !'=!<>'.includes(before.slice(-1)); // the second of ==, !=, <=, >=; else an (augmented) assignment
}

/** The cell's code with its last expression wrapped by `wrap` in place (line numbers in tracebacks stay the cell's). */
export function withValueShown(code: string, found: LastExpression, wrap: (expression: string) => string): string {
  return code.slice(0, found.start) + wrap(code.slice(found.start, found.end)) + code.slice(found.end);
}
