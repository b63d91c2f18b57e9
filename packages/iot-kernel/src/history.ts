import type { KernelMessage } from '@jupyterlab/services';

/** One history row as history_reply sends it: [session, line, input] or [session, line, [input, output]]. */
export type HistoryRow = [number, number, string | [string, string | null]];

/** A history_request's content; fields the client left out get the protocol's defaults. */
export type HistoryQuery = Partial<KernelMessage.IHistoryRequestMsg['content']> & Pick<KernelMessage.IHistoryRequestMsg['content'], 'hist_access_type'>;

interface Entry {
  line: number;
  input: string;
  output: string | null;
}

/** The inputs of the cells run with store_history, kept for the kernel's lifetime (one session). */
export class History {
  /** The session number history rows carry; one per kernel process. */
  static readonly SESSION = 1;
  private readonly entries: Entry[] = [];

  add(line: number, input: string, output?: string): void {
    this.entries.push({ line, input, output: output ?? null });
  }

  query(query: HistoryQuery): HistoryRow[] {
    return this.select(query).map((entry) => [History.SESSION, entry.line, query.output ? [entry.input, entry.output] : entry.input]);
  }

  private select(query: HistoryQuery): Entry[] {
    switch (query.hist_access_type) {
      case 'tail':
        return lastN(this.entries, query.n);
      case 'range': {
        // Session 0 or a negative session counts back from the current one: this kernel has only one.
        const session = query.session ?? 0;
        if (session > 0 && session !== History.SESSION) return [];
        const start = query.start ?? 0;
        const stop = query.stop ?? Infinity;
        return this.entries.filter((entry) => entry.line >= start && entry.line < stop);
      }
      case 'search': {
        const pattern = globToRegExp(query.pattern ?? '*');
        let found = this.entries.filter((entry) => pattern.test(entry.input));
        if (query.unique) found = found.filter((entry, i) => !found.slice(i + 1).some((later) => later.input === entry.input));
        return lastN(found, query.n);
      }
      default:
        return [];
    }
  }
}

function lastN<T>(items: T[], n: number | undefined): T[] {
  return n === undefined || n === null ? items : items.slice(Math.max(0, items.length - n));
}

/** Shell glob (as IPython's history search uses): * any text, ? one character, [abc] a set. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '[' && glob.indexOf(']', i + 2) > 0) {
      const end = glob.indexOf(']', i + 2);
      const set = glob.slice(i + 1, end);
      source += `[${set.startsWith('!') ? '^' + escapeClass(set.slice(1)) : escapeClass(set)}]`;
      i = end;
    } else source += char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function escapeClass(set: string): string {
  return set.replace(/[\\\]^]/g, '\\$&');
}
