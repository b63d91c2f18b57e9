import { hostLineFlags } from './host-lines';

/** The answer to is_complete_request: may the frontend run this code now? */
export type Completeness = { status: 'complete' } | { status: 'incomplete'; indent: string } | { status: 'invalid' };

const INDENT = '    ';
const OPENING = '([{';
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** Where the scan of the Python source ended. */
interface ScanState {
  invalid: boolean;
  openBrackets: number;
  /** The quote of an unfinished string, e.g. `"""` or `'`. */
  openString?: string;
  endsWithBackslash: boolean;
  /** The last character that is not whitespace, outside comments. */
  lastSignificant: string;
  /** The first and last logical line that holds code (not a continuation). */
  firstLine?: string;
  lastLine?: string;
}

/**
 * A Python-aware completeness check in the spirit of IPython's: unfinished brackets,
 * (triple-quoted) strings, backslash continuations, a trailing colon or an indented
 * block not yet closed by an empty line are "incomplete"; an unmatched closing bracket,
 * an unterminated one-line string or an unexpected indent are "invalid". Magic and `!`
 * lines are complete on their own; a `%%` cell magic ends with an empty line.
 */
export function isComplete(code: string): Completeness {
  if (code.startsWith('%%')) return endsWithEmptyLine(code) ? { status: 'complete' } : { status: 'incomplete', indent: '' };
  const isHostLine = hostLineFlags(code);
  const python = code
    .split('\n')
    .map((line, index) => (isHostLine[index] ? '' : line))
    .join('\n');
  const state = scan(python);
  if (state.invalid) return { status: 'invalid' };
  if (state.openString) return state.openString.length === 3 ? { status: 'incomplete', indent: '' } : { status: 'invalid' };
  const indent = leadingSpace(state.lastLine ?? '');
  if (state.openBrackets > 0) return { status: 'incomplete', indent: indent + INDENT };
  if (state.endsWithBackslash) return { status: 'incomplete', indent };
  if (state.firstLine !== undefined && leadingSpace(state.firstLine) !== '') return { status: 'invalid' };
  if (state.lastSignificant === ':') return { status: 'incomplete', indent: indent + INDENT };
  if (indent !== '' && !endsWithEmptyLine(python)) {
    const endsBranch = /^\s*(return|pass|break|continue|raise)\b/.test(state.lastLine ?? '');
    return { status: 'incomplete', indent: endsBranch ? indent.slice(INDENT.length) : indent };
  }
  return { status: 'complete' };
}

function scan(code: string): ScanState {
  const state: ScanState = { invalid: false, openBrackets: 0, endsWithBackslash: false, lastSignificant: '' };
  const brackets: string[] = [];
  let continued = false;
  let atLineStart = true;
  for (let i = 0; i < code.length; i++) {
    if (atLineStart) {
      atLineStart = false;
      const end = code.indexOf('\n', i);
      const line = code.slice(i, end < 0 ? code.length : end);
      const holdsCode = line.trim() !== '' && !line.trim().startsWith('#');
      if (holdsCode && !continued && brackets.length === 0 && !state.openString) {
        state.firstLine ??= line;
        state.lastLine = line;
      }
      continued = false;
    }
    const char = code[i];
    if (state.openString) {
      const quote = state.openString;
      if (char === '\\') {
        i++;
        if (code[i] === '\n') atLineStart = true;
      } else if (code.startsWith(quote, i)) {
        state.openString = undefined;
        i += quote.length - 1;
        state.lastSignificant = char;
      } else if (char === '\n') {
        if (quote.length === 1) return { ...state, invalid: true };
        atLineStart = true;
      }
      continue;
    }
    if (char === '\n') {
      atLineStart = true;
    } else if (char === '#') {
      const end = code.indexOf('\n', i);
      i = (end < 0 ? code.length : end) - 1;
    } else if (char === '\\') {
      if (i + 1 === code.length) state.endsWithBackslash = true;
      else if (code[i + 1] === '\n') {
        continued = true;
        atLineStart = true;
        i++;
      }
    } else if (char === '"' || char === "'") {
      state.openString = code.startsWith(char.repeat(3), i) ? char.repeat(3) : char;
      i += state.openString.length - 1;
    } else if (OPENING.includes(char)) {
      brackets.push(char);
    } else if (char in CLOSING) {
      if (brackets.pop() !== CLOSING[char]) return { ...state, invalid: true };
    }
    if (!/\s/.test(char) && char !== '#') state.lastSignificant = char;
  }
  return { ...state, openBrackets: brackets.length };
}

function leadingSpace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

function endsWithEmptyLine(code: string): boolean {
  const lines = code.split('\n');
  return lines.length >= 3 && lines[lines.length - 1].trim() === '' && lines[lines.length - 2].trim() === '';
}
