import { createHash } from 'node:crypto';
import type { BoardFiles } from './board-files';
import { joinBoardPath, normaliseBoardPath } from './locations';
import type { ProgressListener } from './progress';
import { syncFiles } from './sync';

export const DEFAULT_INDEX = 'https://micropython.org/pi/v2';

export interface MipOptions {
  /** Package index (micropython-lib index v2 layout). */
  index?: string;
  /** Board folder to install into (':' prefix optional); default: the first '…/lib' entry of sys.path not under /rom. */
  target?: string;
  /** 'mpy' = the board's bytecode version (sys.implementation._mpy), 'py' = source. Default: mpy when the board reports one. */
  format?: 'mpy' | 'py';
  onProgress?: ProgressListener;
  /** What downloads (tests and proxies may pass their own). */
  fetch?: typeof fetch;
}

export interface MipReport {
  /** Every package resolved, dependencies included. */
  packages: Array<{ name: string; version: string }>;
  target: string;
  /** Board paths written, and the ones already there with the same content. */
  written: string[];
  unchanged: string[];
  bytesSent: number;
}

interface PackageJson {
  version?: string;
  hashes?: Array<[string, string]>;
  urls?: Array<[string, string]>;
  deps?: Array<[string, string] | [string]>;
}

/**
 * `mip install NAME[@VERSION]`: the host downloads the package and its dependencies (so
 * boards without a network can install) and writes them with the sync machinery: files
 * already on the board with the same sha256 are skipped, the rest go through verified
 * temporary files.
 */
export async function mipInstall(files: BoardFiles, spec: string, options: MipOptions = {}): Promise<MipReport> {
  const info = await files.info();
  const target = options.target ? normaliseBoardPath(options.target.replace(/^:/, '')) : defaultTarget(info.path);
  const abi = info.mpy & 0xff;
  const format = options.format ?? (abi ? 'mpy' : 'py');
  const resolver = new PackageResolver(options.index ?? DEFAULT_INDEX, format === 'mpy' ? String(abi) : 'py', options.fetch ?? fetch);
  const [name, version] = splitSpec(spec);
  await resolver.install(name, version);
  const outcome = await syncFiles(files, target, resolver.files, options.onProgress);
  return { packages: resolver.packages, target, written: outcome.written.map((rel) => joinBoardPath(target, rel)), unchanged: outcome.unchanged.map((rel) => joinBoardPath(target, rel)), bytesSent: outcome.bytesSent };
}

function defaultTarget(sysPath: string[]): string {
  const lib = sysPath.find((p) => p.endsWith('/lib') && !p.startsWith('/rom'));
  if (!lib) throw new Error(`the board's sys.path (${sysPath.join(', ')}) has no …/lib folder; give a target folder (--target :/lib)`);
  return lib;
}

function splitSpec(spec: string): [string, string | undefined] {
  const at = spec.lastIndexOf('@');
  // github:org/repo@ref keeps its ref inside the name: the ref is part of the URL
  if (at <= 0 || spec.startsWith('github:') || spec.includes('://')) return [spec, undefined];
  return [spec.slice(0, at), spec.slice(at + 1)];
}

class PackageResolver {
  readonly files = new Map<string, Buffer>();
  readonly packages: Array<{ name: string; version: string }> = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly index: string,
    private readonly abi: string,
    private readonly fetcher: typeof fetch,
  ) {}

  async install(name: string, version: string | undefined): Promise<void> {
    if (this.seen.has(name)) return;
    this.seen.add(name);
    // A URL-like name is a file, a package.json or a folder holding one, at a ref: its own
    // `@ref`, else the version asked for (a dependency's), which also applies to its github: files.
    const [location, ownRef] = isUrlLike(name) ? splitRef(name) : [name, undefined];
    const ref = ownRef ?? version;
    if (location.endsWith('.py') || location.endsWith('.mpy')) {
      const url = resolveUrl(location, undefined, ref);
      this.files.set(url.slice(url.lastIndexOf('/') + 1), await this.download(url));
      this.packages.push({ name, version: ref ?? 'url' });
      return;
    }
    const jsonUrl = isUrlLike(name)
      ? resolveUrl(location.endsWith('.json') ? location : `${location}/package.json`, undefined, ref)
      : `${this.index}/package/${this.abi}/${name}/${version ?? 'latest'}.json`;
    const description = JSON.parse((await this.download(jsonUrl, `package ${name}${version ? '@' + version : ''}`)).toString('utf8')) as PackageJson;
    this.packages.push({ name, version: description.version ?? version ?? 'latest' });
    for (const [file, shortHash] of description.hashes ?? []) {
      const data = await this.download(`${this.index}/file/${shortHash.slice(0, 2)}/${shortHash}`, file);
      const actual = createHash('sha256').update(data).digest('hex');
      if (!actual.startsWith(shortHash)) throw new Error(`mip: ${file} of ${name} downloaded with sha256 ${actual.slice(0, 8)}, the index says ${shortHash}; nothing was installed`);
      this.files.set(file, data);
    }
    for (const [file, url] of description.urls ?? []) {
      this.files.set(file, await this.download(resolveUrl(url, jsonUrl, ref), file));
    }
    for (const [depName, depVersion] of description.deps ?? []) {
      await this.install(depName, depVersion);
    }
  }

  private async download(url: string, what = url): Promise<Buffer> {
    let response: Response;
    try {
      response = await this.fetcher(url);
    } catch (error) {
      throw new Error(`mip: could not download ${what} from ${url}: ${(error as Error).message}`);
    }
    if (!response.ok) throw new Error(`mip: ${what} not found (${response.status} from ${url}); check the name, the version and the index`);
    return Buffer.from(await response.arrayBuffer());
  }
}

function isUrlLike(name: string): boolean {
  return name.startsWith('github:') || name.startsWith('gitlab:') || name.includes('://');
}

/** `github:org/repo/path@ref` → [`github:org/repo/path`, `ref`]; no `@` after the last '/': no ref. */
function splitRef(name: string): [string, string | undefined] {
  const at = name.lastIndexOf('@');
  return at > name.lastIndexOf('/') ? [name.slice(0, at), name.slice(at + 1)] : [name, undefined];
}

/**
 * github:org/repo/path@ref → raw URL (at `defaultRef` when it names no ref, else HEAD);
 * relative URLs are resolved against the package JSON's URL.
 */
function resolveUrl(url: string, base: string | undefined, defaultRef?: string): string {
  const forge = /^(github|gitlab):([^/@]+)\/([^/@]+)(\/[^@]*)?(?:@(.+))?$/.exec(url);
  if (forge) {
    const [, host, org, repo, filePath = '', ref = defaultRef ?? 'HEAD'] = forge;
    return host === 'github'
      ? `https://raw.githubusercontent.com/${org}/${repo}/${ref}${filePath}`
      : `https://gitlab.com/${org}/${repo}/-/raw/${ref}${filePath}`;
  }
  return base ? new URL(url, base).toString() : url;
}
