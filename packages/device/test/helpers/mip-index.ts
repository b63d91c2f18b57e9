import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A micropython-lib style package index (v2 layout) served on 127.0.0.1, for mip tests. */
export interface MipIndexServer {
  /** Base URL, e.g. http://127.0.0.1:PORT (pass as the index). */
  url: string;
  close(): Promise<void>;
}

/**
 * The index's content for one bytecode ABI (`sys.implementation._mpy & 0xff`, or "py"):
 * `sensor` (latest 2.0, pinned 1.0) depending on `units` 1.2, which has a file given by
 * URL; `broken` whose file does not match its hash. Under /gh: what raw.githubusercontent.com
 * would serve for `github:someone/gadget@v3` (tests rewrite that host to this server).
 */
export function buildMipIndex(abi: string): Map<string, string> {
  const routes = new Map<string, string>();
  const file = (content: string) => {
    const hash = createHash('sha256').update(content).digest('hex').slice(0, 8);
    routes.set(`/file/${hash.slice(0, 2)}/${hash}`, content);
    return hash;
  };
  const pkg = (name: string, route: string, version: string, body: object) =>
    routes.set(`/package/${abi}/${name}/${route}.json`, JSON.stringify({ version, ...body }));
  const latest = { hashes: [['sensor/__init__.py', file('from sensor.core import read\n')], ['sensor/core.py', file('import units\ndef read(): return units.C\n')]], deps: [['units', '1.2']] };
  pkg('sensor', 'latest', '2.0', latest);
  pkg('sensor', '2.0', '2.0', latest);
  pkg('sensor', '1.0', '1.0', { hashes: [['sensor/__init__.py', file('OLD = True\n')]] });
  pkg('units', '1.2', '1.2', { hashes: [['units.py', file('C = "celsius"\n')]], urls: [['units_extra.py', 'extra/units_extra.py']] });
  routes.set(`/package/${abi}/units/extra/units_extra.py`, 'K = "kelvin"\n');
  routes.set('/gh/someone/gadget/v3/package.json', JSON.stringify({ version: '3.0', urls: [['gadget.py', 'github:someone/gadget/src/gadget.py@v3'], ['gadget_data.txt', 'data.txt']] }));
  routes.set('/gh/someone/gadget/v3/src/gadget.py', 'NAME = "gadget"\n');
  routes.set('/gh/someone/gadget/v3/data.txt', 'data\n');
  // a package named by its .json file, whose github: files name no ref (they follow the package's), with a github: dependency at a ref
  routes.set('/gh/someone/tool/v2/tool.json', JSON.stringify({ version: '2.0', urls: [['tool.py', 'github:someone/tool/tool.py']], deps: [['github:someone/gadget', 'v3']] }));
  routes.set('/gh/someone/tool/v2/tool.py', 'TOOL = 2\n');
  routes.set('/gh/someone/single/v5/single.py', 'SINGLE = 5\n');
  pkg('broken', 'latest', '0.1', { hashes: [['broken.py', '00000000']] });
  routes.set('/file/00/00000000', 'not what the hash says\n');
  return routes;
}

/** Serves `buildMipIndex(abi)` on a free port of 127.0.0.1; unknown paths are 404. */
export async function serveMipIndex(abi: string): Promise<MipIndexServer> {
  const routes = buildMipIndex(abi);
  const server = createServer((request, response) => {
    const body = routes.get(request.url ?? '');
    response.statusCode = body === undefined ? 404 : 200;
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
