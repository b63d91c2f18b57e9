import type { BoardException } from './types';

const LAST_LINE = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

/**
 * Parses the error part of a raw REPL run ("Traceback (most recent call last): ...
 * ZeroDivisionError: divide by zero") into type, message and traceback lines.
 * Returns undefined when the error part is empty (the run succeeded).
 */
export function parseBoardException(stderr: string): BoardException | undefined {
  const traceback = stderr.split(/\r?\n/).filter((line) => line.length > 0);
  if (traceback.length === 0) return undefined;
  const last = traceback[traceback.length - 1];
  const match = LAST_LINE.exec(last);
  if (!match) return { type: 'Exception', message: last.trim(), traceback };
  return { type: match[1], message: match[2] ?? '', traceback };
}

/** "  File "<stdin>", line 3, in f" → 3 for the innermost frame (the last one printed). */
export function innermostLine(exception: BoardException): number | undefined {
  for (let i = exception.traceback.length - 1; i >= 0; i--) {
    const m = /line (\d+)/.exec(exception.traceback[i]);
    if (m) return Number(m[1]);
  }
  return undefined;
}
