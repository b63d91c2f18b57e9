import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { syncFolder, TEMP_SUFFIX } from '../src/files';
import { makeWorkDir, FilesBoard, readTree, removeWorkDir } from './files-fixtures';

let work: string;
const boards: FilesBoard[] = [];

beforeAll(() => {
  work = makeWorkDir();
});

afterAll(async () => {
  for (const board of boards) await board.stop();
  removeWorkDir(work);
});

test('a link cut mid-transfer never leaves wrong content under a real name, and the next sync completes', async () => {
  const local = path.join(work, 'project');
  const version = (n: number) => {
    for (let i = 0; i < 6; i++) {
      mkdirSync(path.join(local, 'lib'), { recursive: true });
      // incompressible, so the transfer takes many execs
      writeFileSync(path.join(local, 'lib', `blob${i}.bin`), Buffer.concat([Buffer.from(`v${n}`), randomBytes(48 * 1024)]));
    }
    return readTree(local);
  };
  const first = await FilesBoard.start(work);
  boards.push(first);
  const v1 = version(1);
  await syncFolder(first.files, local, '/app');
  const v2 = version(2);

  // every real-name file on the flash is exactly v1 or v2 whenever we look
  const violations: string[] = [];
  const checkFlash = () => {
    for (const [rel, content] of readTree(path.join(first.flashDir, 'app'))) {
      if (rel.endsWith(TEMP_SUFFIX)) continue;
      if (!content.equals(v1.get(rel) as Buffer) && !content.equals(v2.get(rel) as Buffer)) violations.push(rel);
    }
  };
  const sampler = setInterval(checkFlash, 2);
  let killed: Promise<void> | undefined;
  const interrupted = syncFolder(first.files, local, '/app', {
    onProgress: (p) => {
      checkFlash();
      if (p.bytesDone > p.bytesTotal / 2 && !killed) killed = first.kill();
    },
  });
  await expect(interrupted).rejects.toThrow();
  await killed;
  clearInterval(sampler);
  checkFlash();
  expect(violations).toEqual([]);
  const flashAfterCut = readTree(path.join(first.flashDir, 'app'));
  expect([...flashAfterCut.keys()].some((rel) => rel.endsWith(TEMP_SUFFIX) || flashAfterCut.get(rel)?.equals(v1.get(rel) as Buffer))).toBe(true);
  await first.stop();

  const second = await FilesBoard.start(work, first.flashDir);
  boards.push(second);
  const resync = await syncFolder(second.files, local, '/app');
  expect(resync.added.length + resync.updated.length).toBeGreaterThan(0);
  const final = readTree(path.join(second.flashDir, 'app'));
  expect([...final.keys()].sort()).toEqual([...v2.keys()].sort());
  for (const [rel, content] of v2) expect(final.get(rel)?.equals(content)).toBe(true);
  const again = await syncFolder(second.files, local, '/app');
  expect(again.added.concat(again.updated)).toEqual([]);
});
