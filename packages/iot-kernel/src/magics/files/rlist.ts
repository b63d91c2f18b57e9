import type { BoardEntry } from '@ide49/device';
import { deviceLibrary } from '../../board/device-library';
import { CellError } from '../magic';
import type { KernelMagic } from '../services';
import { boardPath, withBoardFiles } from './board-files';
import { parseOptions } from './options';

const usage = '%rlist [-r] [:PATH]';

export const rlistMagic: KernelMagic = {
  name: 'rlist',
  kind: 'line',
  group: 'Files',
  help: 'List a board folder (default :/) as a tree with sizes; -r: with everything below it.',
  usage,
  async run(context, args) {
    const { flags, positional } = parseOptions(args, { flags: ['-r'] }, usage);
    if (positional.length > 1) throw new CellError('UsageError', `Give at most one board folder. Usage: ${usage}`);
    const root = boardPath(positional[0] ?? ':/', usage);
    const entries = await withBoardFiles(context, (files) => files.list(root, flags.has('-r')));
    context.stdout(formatTree(root, entries) + '\n');
  },
};

/**
 * The listing as a tree under its root, sizes in a column at the right, e.g.
 *   :/
 *   ├── lib/
 *   │   └── sensor.py  1.2 KiB
 *   └── main.py          120 B
 */
export function formatTree(root: string, entries: BoardEntry[]): string {
  const { formatBytes } = deviceLibrary();
  if (entries.length === 1 && entries[0].path === '' && !entries[0].isDir) return `:${root}  ${formatBytes(entries[0].size)}`;
  const sorted = [...entries].sort((a, b) => compareParts(a.path.split('/'), b.path.split('/')));
  const rows = sorted.map((entry, i) => {
    const parts = entry.path.split('/');
    const prefix = parts.slice(0, -1).map((_, depth) => (hasLaterSibling(sorted, i, depth) ? '│   ' : '    ')).join('');
    const branch = hasLaterSibling(sorted, i, parts.length - 1) ? '├── ' : '└── ';
    return { label: `${prefix}${branch}${parts[parts.length - 1]}${entry.isDir ? '/' : ''}`, size: entry.isDir ? '' : formatBytes(entry.size) };
  });
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));
  const sizeWidth = Math.max(0, ...rows.map((r) => r.size.length));
  const fileEntries = entries.filter((e) => !e.isDir);
  const total = `${fileEntries.length} file${fileEntries.length === 1 ? '' : 's'}, ${formatBytes(fileEntries.reduce((n, e) => n + e.size, 0))}`;
  return [`:${root}`, ...rows.map((r) => `${r.label.padEnd(labelWidth)}  ${r.size.padStart(sizeWidth)}`.trimEnd()), total].join('\n');
}

/** Whether an entry after `index` shares the ancestor folder at `depth` of the entry at `index` and sits at that depth (a later sibling). */
function hasLaterSibling(sorted: BoardEntry[], index: number, depth: number): boolean {
  const parent = sorted[index].path.split('/').slice(0, depth).join('/');
  for (let j = index + 1; j < sorted.length; j++) {
    const parts = sorted[j].path.split('/');
    if (parts.slice(0, depth).join('/') !== parent) return false;
    if (parts.length === depth + 1) return true;
  }
  return false;
}

function compareParts(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}
