import { CellError } from './magic';

/**
 * Splits magic arguments like a POSIX shell: whitespace separates words, single quotes
 * keep everything literally, double quotes keep spaces and honour \" and \\, a backslash
 * outside quotes escapes the next character.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += char;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      inWord = true;
      if (char === "'" || char === '"') quote = char;
      else if (char === '\\' && i + 1 < text.length) word += text[++i];
      else word += char;
    }
  }
  if (quote) throw new CellError('UsageError', `Unclosed ${quote} quote in: ${text}`);
  if (inWord) words.push(word);
  return words;
}
