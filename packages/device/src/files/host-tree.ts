import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Files whose lines exclude paths from sync (gitignore syntax), in LOCAL and any folder below it. */
export const IGNORE_FILES = ['.gitignore', '.ide49ignore'];
/** Never copied to a board: version control data and the ignore files themselves. */
const ALWAYS_EXCLUDED = ['.git/', ...IGNORE_FILES];

/** The rules of one folder's ignore files; `base` is that folder relative to LOCAL ('' for LOCAL). */
interface FolderRules {
  base: string;
  rules: Ignore;
}

/**
 * Which relative paths a sync leaves alone, on both sides: --exclude globs plus the ignore
 * files, with gitignore semantics (`*.pyc`, `build/`, `/top-only`, `**` and `!negation`).
 * As in git, an ignore file in a subfolder speaks of paths below it, and its rules come
 * after those of the folders above (a `!pattern` there can bring back what they exclude);
 * nothing inside an excluded folder comes back.
 */
export class PathFilter {
  /** Never undone by an ignore file's `!pattern`: version control data, ignore files, --exclude. */
  private readonly forced: Ignore;
  private readonly levels: FolderRules[];

  /** `patterns`: the top folder's ignore-file lines; `excludes`: --exclude globs. */
  constructor(patterns: string[], excludes: string[] = []) {
    this.forced = ignore().add([...ALWAYS_EXCLUDED, ...excludes]);
    this.levels = [{ base: '', rules: ignore().add(patterns) }];
  }

  /** Reads the ignore files at the top of `root` (missing ones are fine) and adds `excludes`; readHostTree adds those of subfolders. */
  static async forFolder(root: string, excludes: string[] = []): Promise<PathFilter> {
    return new PathFilter(await readIgnoreFiles(root), excludes);
  }

  /** Adds the rules of the ignore files in `folder` (relative to LOCAL), if it has any. */
  async addFolder(absolute: string, relative: string): Promise<void> {
    const patterns = await readIgnoreFiles(absolute);
    if (patterns.some((line) => line.trim() !== '' && !line.startsWith('#'))) this.levels.push({ base: relative, rules: ignore().add(patterns) });
  }

  excludes(relativePath: string, isDir: boolean): boolean {
    // a path is excluded when it or any folder above it is
    const parts = relativePath.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const last = i === parts.length;
      if (this.excludesItself(parts.slice(0, i).join('/'), !last || isDir)) return true;
    }
    return false;
  }

  /** The forced rules, then the verdict of every level above the path, the deepest last. */
  private excludesItself(relativePath: string, isDir: boolean): boolean {
    if (this.forced.ignores(relativePath + (isDir ? '/' : ''))) return true;
    let excluded = false;
    for (const { base, rules } of this.levels) {
      if (base !== '' && !relativePath.startsWith(base + '/')) continue;
      const verdict = rules.test((base === '' ? relativePath : relativePath.slice(base.length + 1)) + (isDir ? '/' : ''));
      if (verdict.ignored) excluded = true;
      else if (verdict.unignored) excluded = false;
    }
    return excluded;
  }
}

async function readIgnoreFiles(folder: string): Promise<string[]> {
  const patterns: string[] = [];
  for (const name of IGNORE_FILES) {
    const text = await fs.readFile(path.join(folder, name), 'utf8').catch(() => '');
    patterns.push(...text.split(/\r?\n/));
  }
  return patterns;
}

export interface HostFile {
  /** Relative to the tree's root, '/'-separated. */
  path: string;
  absolute: string;
  size: number;
  sha256: string;
}

export interface HostTree {
  files: HostFile[];
  /** Relative folder paths (including empty ones). */
  folders: string[];
}

/** Walks and hashes a host folder, leaving out what `filter` excludes. */
export async function readHostTree(root: string, filter: PathFilter): Promise<HostTree> {
  const tree: HostTree = { files: [], folders: [] };
  const visit = async (folder: string, relative: string) => {
    const entries = await fs.readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      const absolute = path.join(folder, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await fs.stat(absolute)).isDirectory());
      if (filter.excludes(rel, isDir)) continue;
      if (isDir) {
        tree.folders.push(rel);
        await filter.addFolder(absolute, rel);
        await visit(absolute, rel);
      } else {
        const { size } = await fs.stat(absolute);
        tree.files.push({ path: rel, absolute, size, sha256: await hashFile(absolute) });
      }
    }
  };
  await visit(root, '');
  return tree;
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}
