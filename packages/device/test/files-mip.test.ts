import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { mipInstall } from '../src/files';
import { makeWorkDir, FilesBoard, removeWorkDir } from './files-fixtures';
import { serveMipIndex, type MipIndexServer } from './helpers/mip-index';

let work: string;
let board: FilesBoard;
let server: MipIndexServer;
let index: string;

beforeAll(async () => {
  work = makeWorkDir();
  board = await FilesBoard.start(work);
  const info = await board.files.info();
  server = await serveMipIndex(String(info.mpy & 0xff || 'py'));
  index = server.url;
});

afterAll(async () => {
  await server?.close();
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

test('a github: package resolves to raw file URLs of the repository', async () => {
  // raw.githubusercontent.com is served by the local index under /gh (no internet here)
  const viaLocalServer: typeof fetch = (url) => fetch(String(url).replace('https://raw.githubusercontent.com', `${index}/gh`));
  const report = await mipInstall(board.files, 'github:someone/gadget@v3', { index, fetch: viaLocalServer });
  expect(report.packages).toEqual([{ name: 'github:someone/gadget@v3', version: '3.0' }]);
  expect(onFlash('lib/gadget.py')).toBe('NAME = "gadget"\n');
  expect(onFlash('lib/gadget_data.txt')).toBe('data\n');
});

test('a github: package named by its .json: its files and github: dependencies follow the refs given', async () => {
  const viaLocalServer: typeof fetch = (url) => fetch(String(url).replace('https://raw.githubusercontent.com', `${index}/gh`));
  const report = await mipInstall(board.files, 'github:someone/tool/tool.json@v2', { index, fetch: viaLocalServer });
  expect(report.packages).toEqual([
    { name: 'github:someone/tool/tool.json@v2', version: '2.0' },
    { name: 'github:someone/gadget', version: '3.0' },
  ]);
  expect(onFlash('lib/tool.py')).toBe('TOOL = 2\n');
  const single = await mipInstall(board.files, 'github:someone/single/single.py@v5', { index, fetch: viaLocalServer });
  expect(single.packages).toEqual([{ name: 'github:someone/single/single.py@v5', version: 'v5' }]);
  expect(onFlash('lib/single.py')).toBe('SINGLE = 5\n');
});

test('a download whose hash does not match installs nothing; an unknown package says so', async () => {
  await expect(mipInstall(board.files, 'broken', { index })).rejects.toThrow(/sha256/);
  await expect(mipInstall(board.files, 'nosuch', { index })).rejects.toThrow(/not found/);
  expect(() => onFlash('lib/broken.py')).toThrow();
});
