/**
 * An Emscripten filesystem backed by a real host folder, mounted as the interpreter's
 * root: the board's `/` is the flash folder (no tmp/home/dev/proc), files survive
 * resets and restarts, the host can inspect them, and `os.rename` replaces its target
 * atomically (one rename(2) on the host), as on a board.
 *
 * One hidden entry is added at the root: `/.board` (in memory) holds the Python half of
 * the board support (machine, os and time wrappers), imported at every boot.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WASI_ERRNO } from './errno';
import type { EmscriptenFS, FSNode, FSStream } from './emscripten';

export const BOARD_SUPPORT_DIR = '.board';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const O_ACCMODE = 3;

export function mountHostFolderAsRoot(FS: EmscriptenFS, hostRoot: string, boardSupportFiles: Map<string, string>): void {
  fs.mkdirSync(hostRoot, { recursive: true });
  const hostFs = new HostFs(FS, hostRoot, createSupportDir(FS, boardSupportFiles));
  // Emscripten refuses a second root mount; the old root (MEMFS with /dev) keeps
  // serving the already-open stdio streams.
  FS.root = null;
  FS.mount({ mount: () => hostFs.createRootNode() }, {}, '/');
  FS.chdir('/');
}

/** The board-support modules live in MEMFS, outside the host folder. */
function createSupportDir(FS: EmscriptenFS, files: Map<string, string>): FSNode {
  const dir = `/${BOARD_SUPPORT_DIR}`;
  FS.mkdir(dir);
  for (const [name, text] of files) FS.writeFile(`${dir}/${name}`, text);
  return FS.lookupPath(dir).node;
}

class HostFs {
  private readonly nodeOps: Record<string, unknown>;
  private readonly streamOps: Record<string, unknown>;
  constructor(
    private readonly FS: EmscriptenFS,
    private readonly hostRoot: string,
    private readonly supportDir: FSNode,
  ) {
    this.nodeOps = {
      getattr: (node: FSNode) => this.getattr(node),
      setattr: (node: FSNode, attr: { mode?: number; size?: number; atime?: number; mtime?: number }) => this.setattr(node, attr),
      lookup: (parent: FSNode, name: string) => this.lookup(parent, name),
      mknod: (parent: FSNode, name: string, mode: number) => this.mknod(parent, name, mode),
      rename: (node: FSNode, newDir: FSNode, newName: string) => this.rename(node, newDir, newName),
      unlink: (parent: FSNode, name: string) => this.hostCall(() => fs.unlinkSync(this.childPath(parent, name))),
      rmdir: (parent: FSNode, name: string) => this.hostCall(() => fs.rmdirSync(this.childPath(parent, name))),
      readdir: (node: FSNode) => ['.', '..', ...this.hostCall(() => fs.readdirSync(this.hostPath(node)))],
    };
    this.streamOps = {
      open: (stream: FSStream) => this.open(stream),
      close: (stream: FSStream) => stream.hostFd !== undefined && this.hostCall(() => fs.closeSync(stream.hostFd!)),
      read: (stream: FSStream, buffer: Uint8Array, offset: number, length: number, position: number) =>
        length === 0 ? 0 : this.hostCall(() => fs.readSync(stream.hostFd!, buffer, offset, length, position)),
      write: (stream: FSStream, buffer: Uint8Array, offset: number, length: number, position: number) =>
        length === 0 ? 0 : this.hostCall(() => fs.writeSync(stream.hostFd!, buffer, offset, length, position)),
      llseek: (stream: FSStream, offset: number, whence: number) => this.llseek(stream, offset, whence),
      fsync: (stream: FSStream) => stream.hostFd !== undefined && this.hostCall(() => fs.fsyncSync(stream.hostFd!)),
    };
  }

  createRootNode(): FSNode {
    return this.createNode(null, '/', S_IFDIR | 0o777);
  }

  private createNode(parent: FSNode | null, name: string, mode: number): FSNode {
    const node = this.FS.createNode(parent, name, mode, 0);
    node.node_ops = this.nodeOps;
    node.stream_ops = this.streamOps;
    return node;
  }

  /** Derived from the node's current place in the tree, so renamed folders need no bookkeeping. */
  private hostPath(node: FSNode): string {
    const names: string[] = [];
    for (let n = node; !this.isRoot(n); n = n.parent) names.push(n.name);
    return path.join(this.hostRoot, ...names.reverse());
  }

  private childPath(parent: FSNode, name: string): string {
    return path.join(this.hostPath(parent), name);
  }

  private isRoot(node: FSNode): boolean {
    return node.parent === node;
  }

  /** Runs a host fs call, turning Node's error codes into Emscripten errno errors. */
  private hostCall<T>(call: () => T): T {
    try {
      return call();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code && code in WASI_ERRNO) throw new this.FS.ErrnoError(WASI_ERRNO[code]);
      throw new this.FS.ErrnoError(WASI_ERRNO.EIO);
    }
  }

  private getattr(node: FSNode) {
    const stat = this.hostCall(() => fs.statSync(this.hostPath(node)));
    node.mode = stat.isDirectory() ? S_IFDIR | 0o777 : S_IFREG | 0o666;
    return {
      dev: 1,
      ino: node.id,
      mode: node.mode,
      nlink: 1,
      uid: 0,
      gid: 0,
      rdev: 0,
      size: stat.isDirectory() ? 0 : stat.size,
      atime: stat.atime,
      mtime: stat.mtime,
      ctime: stat.ctime,
      blksize: 4096,
      blocks: Math.ceil(stat.size / 512),
    };
  }

  private setattr(node: FSNode, attr: { mode?: number; size?: number; atime?: number; mtime?: number }): void {
    const hostPath = this.hostPath(node);
    if (attr.size !== undefined) this.hostCall(() => fs.truncateSync(hostPath, attr.size));
    if (attr.atime !== undefined && attr.mtime !== undefined) {
      this.hostCall(() => fs.utimesSync(hostPath, new Date(attr.atime!), new Date(attr.mtime!)));
    }
  }

  private lookup(parent: FSNode, name: string): FSNode {
    // The board-support folder (MEMFS) is reachable by name but never listed.
    if (this.isRoot(parent) && name === BOARD_SUPPORT_DIR) return this.supportDir;
    const stat = this.hostCall(() => fs.statSync(this.childPath(parent, name)));
    return this.createNode(parent, name, stat.isDirectory() ? S_IFDIR | 0o777 : S_IFREG | 0o666);
  }

  private mknod(parent: FSNode, name: string, mode: number): FSNode {
    const hostPath = this.childPath(parent, name);
    if (this.FS.isDir(mode)) this.hostCall(() => fs.mkdirSync(hostPath));
    else this.hostCall(() => fs.closeSync(fs.openSync(hostPath, 'wx')));
    return this.createNode(parent, name, this.FS.isDir(mode) ? S_IFDIR | 0o777 : S_IFREG | 0o666);
  }

  private rename(node: FSNode, newDir: FSNode, newName: string): void {
    const newPath = this.childPath(newDir, newName);
    this.hostCall(() => fs.renameSync(this.hostPath(node), newPath));
    // Forget the replaced node: Emscripten would otherwise keep serving it from its cache.
    try {
      const replaced = this.FS.lookupNode(newDir, newName);
      if (replaced !== node) this.FS.destroyNode(replaced);
    } catch {
      // nothing was replaced
    }
    node.name = newName;
  }

  private open(stream: FSStream): void {
    if (!this.FS.isFile(stream.node.mode)) return;
    stream.hostFd = this.hostCall(() => fs.openSync(this.hostPath(stream.node), stream.flags & O_ACCMODE));
  }

  private llseek(stream: FSStream, offset: number, whence: number): number {
    let position = offset;
    if (whence === 1) position += stream.position;
    else if (whence === 2 && stream.hostFd !== undefined) position += this.hostCall(() => fs.fstatSync(stream.hostFd!).size);
    if (position < 0) throw new this.FS.ErrnoError(WASI_ERRNO.EINVAL);
    return position;
  }
}
