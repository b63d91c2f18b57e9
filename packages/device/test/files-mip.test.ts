import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { mipInstall } from '../src/files';
import { makeWorkDir, PtyBoard, removeWorkDir } from './files-fixtures';

let work: string;
let board: PtyBoard;
let server: Server;
let index: string;
const requests: string[] = [];

/** A micropython-lib style index (v2 layout) with a package, a pinned older version and a dependency. */
function buildIndex(abi: string): Map<string, string> {
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
  pkg('broken', 'latest', '0.1', { hashes: [['broken.py', '00000000']] });
  routes.set('/file/00/00000000', 'not what the hash says\n');
  return routes;
}

beforeAll(async () => {
  work = makeWorkDir();
  board = await PtyBoard.start(work);
  const info = await board.files.info();
  const routes = buildIndex(String(info.mpy & 0xff || 'py'));
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const body = routes.get(request.url ?? '');
    response.statusCode = body === undefined ? 404 : 200;
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  index = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await board?.stop();
  removeWorkDir(work);
});

const onFlash = (boardPath: string) => readFileSync(path.join(board.flashDir, boardPath), 'utf8');

test('installs a package and its dependency into the board lib folder, then skips what is there', async () => {
  const report = await mipInstall(board.files, 'sensor', { index });
  expect(report.target).toBe('/lib');
  expect(report.packages).toEqual([
    { name: 'sensor', version: '2.0' },
    { name: 'units', version: '1.2' },
  ]);
  expect(report.written).toEqual(['/lib/sensor/__init__.py', '/lib/sensor/core.py', '/lib/units.py', '/lib/units_extra.py']);
  expect(onFlash('lib/units_extra.py')).toBe('K = "kelvin"\n');
  const ran = await board.repl.exec('import sensor\nprint(sensor.read())');
  expect(ran.stdout.trim()).toBe('celsius');

  const again = await mipInstall(board.files, 'sensor', { index });
  expect(again.written).toEqual([]);
  expect(again.unchanged).toHaveLength(4);
});

test('a version pin and a target folder', async () => {
  const report = await mipInstall(board.files, 'sensor@1.0', { index, target: ':/pinned' });
  expect(report.written).toEqual(['/pinned/sensor/__init__.py']);
  expect(onFlash('pinned/sensor/__init__.py')).toBe('OLD = True\n');
});

test('a download whose hash does not match installs nothing; an unknown package says so', async () => {
  await expect(mipInstall(board.files, 'broken', { index })).rejects.toThrow(/sha256/);
  await expect(mipInstall(board.files, 'nosuch', { index })).rejects.toThrow(/not found/);
  expect(() => onFlash('lib/broken.py')).toThrow();
});
