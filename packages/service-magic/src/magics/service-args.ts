import { ServiceError } from '../service-error';

/** About 24.8 days: the longest delay a Node timer takes. */
const MAX_TIMEOUT_SECONDS = 2_147_483;

export const SERVICE_USAGE = '%%service NAME|host [-u USER] [-s SHELL] [-w DIR] [-e KEY=VAL]... [--timeout SECONDS]';

export interface ServiceArgs {
  /** A service name, or "host". */
  readonly service: string;
  readonly user?: string;
  readonly shell: string;
  readonly workingDir?: string;
  /** KEY=VAL entries. */
  readonly env: string[];
  readonly timeoutSeconds?: number;
}

/** Service names as Compose and balena allow them; also safe inside the init script's path. */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function parseServiceArgs(line: string): ServiceArgs {
  const words = splitWords(line);
  const positional: string[] = [];
  const parsed: { user?: string; shell: string; workingDir?: string; env: string[]; timeoutSeconds?: number } = { shell: 'sh', env: [] };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const value = () => words[++i] ?? usageError(`${word} needs a value`);
    switch (word) {
      case '-u':
      case '--user':
        parsed.user = value();
        break;
      case '-s':
      case '--shell':
        parsed.shell = value();
        break;
      case '-w':
      case '--workdir':
        parsed.workingDir = value();
        break;
      case '-e':
      case '--env': {
        const entry = value();
        if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(entry)) usageError(`-e takes KEY=VAL, not "${entry}"`);
        parsed.env.push(entry);
        break;
      }
      case '--timeout': {
        const seconds = Number(value());
        // Node's timers hold at most 2^31-1 ms: a longer one would fire at once
        if (!(seconds > 0) || seconds > MAX_TIMEOUT_SECONDS) usageError(`--timeout takes a number of seconds greater than 0 and at most ${MAX_TIMEOUT_SECONDS}`);
        parsed.timeoutSeconds = seconds;
        break;
      }
      default:
        if (word.startsWith('-')) usageError(`unknown option ${word}`);
        positional.push(word);
    }
  }
  if (positional.length !== 1) usageError(positional.length === 0 ? 'name the service to run the cell in' : `one service only, got: ${positional.join(' ')}`);
  if (!SERVICE_NAME.test(positional[0])) usageError(`"${positional[0]}" is not a service name (letters, digits, _ . -)`);
  return { service: positional[0], ...parsed };
}

/** Splits like a shell: whitespace separates words, quotes group, backslash escapes. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word ??= '';
      if (c === '"' || c === "'") quote = c;
      else if (c === '\\' && i + 1 < line.length) word += line[++i];
      else word += c;
    }
  }
  if (quote) usageError(`unclosed ${quote}`);
  if (word !== undefined) words.push(word);
  return words;
}

function usageError(message: string): never {
  throw new ServiceError('UsageError', message, [`Usage: ${SERVICE_USAGE}`]);
}
