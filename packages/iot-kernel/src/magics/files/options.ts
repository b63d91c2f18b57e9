import { splitArgs } from '../args';
import { CellError } from '../magic';

export interface ParsedOptions {
  flags: Set<string>;
  /** Options that take a value, each with every value given (they may repeat). */
  values: Map<string, string[]>;
  positional: string[];
}

/**
 * Splits a file magic's arguments into flags (`-r`, `--delete`), options with a value
 * (`--exclude GLOB`, repeatable) and positional words. Unknown options are usage errors
 * that show `usage`, so a typo never turns into a path.
 */
export function parseOptions(args: string, spec: { flags?: string[]; values?: string[] }, usage: string): ParsedOptions {
  const words = splitArgs(args);
  const parsed: ParsedOptions = { flags: new Set(), values: new Map(), positional: [] };
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const withValue = /^(--[A-Za-z][\w-]*)=(.*)$/s.exec(word); // --exclude=*.pyc
    if (word === '--') {
      parsed.positional.push(...words.slice(i + 1)); // the end of options: a file may start with -
      break;
    } else if (withValue && spec.values?.includes(withValue[1])) {
      parsed.values.set(withValue[1], [...(parsed.values.get(withValue[1]) ?? []), withValue[2]]);
    } else if (!/^--?[A-Za-z]/.test(word)) {
      parsed.positional.push(word);
    } else if (spec.flags?.includes(word)) {
      parsed.flags.add(word);
    } else if (spec.values?.includes(word)) {
      const value = words[++i];
      if (value === undefined) throw new CellError('UsageError', `${word} needs a value. Usage: ${usage}`);
      parsed.values.set(word, [...(parsed.values.get(word) ?? []), value]);
    } else {
      throw new CellError('UsageError', `Unknown option ${word} (a file whose name starts with - goes after --, or as ./${word}). Usage: ${usage}`);
    }
  }
  return parsed;
}
