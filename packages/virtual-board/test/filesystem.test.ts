import * as fs from 'node:fs';
import * as path from 'node:path';
import { VirtualBoard } from '../src';
import { RAW_BANNER, startInRawRepl, Transcript, type TestBoard } from './board-harness';

describe('the flash folder, as a board filesystem', () => {
  let t: TestBoard;
  afterEach(() => t?.stop());

  test('the root shows only the flash files, which are real host files', async () => {
    t = await startInRawRepl();
    fs.writeFileSync(path.join(t.flashDir, 'from-host.txt'), 'hi');
    expect(await t.exec('import os\nprint(sorted(os.listdir("/")))')).toEqual(["['from-host.txt']\r\n", '']);
    await t.exec('with open("/data.bin", "wb") as f:\n f.write(bytes(range(256)))\nos.mkdir("lib")');
    expect(fs.readFileSync(path.join(t.flashDir, 'data.bin'))).toEqual(Buffer.from(Array.from({ length: 256 }, (_, i) => i)));
    expect(fs.statSync(path.join(t.flashDir, 'lib')).isDirectory()).toBe(true);
  });

  test('errors carry board errno numbers and names', async () => {
    t = await startInRawRepl();
    const [, missing] = await t.exec('import os\nos.stat("/nope")');
    expect(missing).toContain('OSError: [Errno 2] ENOENT\r\n');
    const [, exists] = await t.exec('os.mkdir("d")\nos.mkdir("d")');
    expect(exists).toContain('OSError: [Errno 17] EEXIST\r\n');
    const [out] = await t.exec('import errno\ntry:\n open("/d/x/y")\nexcept OSError as e:\n print(e.errno == errno.ENOENT, e.errno)');
    expect(out).toBe('True 2\r\n');
  });

  test('os.stat and os.ilistdir report real sizes', async () => {
    t = await startInRawRepl();
    const [out] = await t.exec(
      'import os\nopen("a.txt", "w").write("x" * 1234)\nos.mkdir("sub")\nprint(os.stat("a.txt")[6], sorted(os.ilistdir("/")), sorted(os.ilistdir()))',
    );
    expect(out).toBe("1234 [('a.txt', 32768, 0, 1234), ('sub', 16384, 0, 0)] [('a.txt', 32768, 0, 1234), ('sub', 16384, 0, 0)]\r\n");
  });

  test('os.rename replaces its target atomically, in folders too', async () => {
    t = await startInRawRepl();
    const [out, err] = await t.exec(
      [
        'import os',
        'open("target.py", "w").write("old")',
        'open("target.py.tmp", "w").write("new")',
        'os.rename("target.py.tmp", "target.py")',
        'os.mkdir("d")',
        'open("d/a", "w").write("1")',
        'os.rename("d/a", "d/b")',
        'os.rename("d", "e")',
        'print(open("target.py").read(), sorted(os.listdir()), os.listdir("e"), open("e/b").read())',
      ].join('\n'),
    );
    expect(err).toBe('');
    expect(out).toBe("new ['e', 'target.py'] ['b'] 1\r\n");
    expect(fs.readFileSync(path.join(t.flashDir, 'target.py'), 'utf8')).toBe('new');
  });

  test('os.statvfs, os.uname and sys.implementation look like a board', async () => {
    t = await startInRawRepl();
    const [out] = await t.exec('import os, sys\ns = os.statvfs("/")\nprint(len(s), s[0], s[2] >= s[3] > 0)\nu = os.uname()\nprint(u.sysname, u.release, u.machine)\nprint(sys.implementation._machine)');
    expect(out).toBe('10 4096 True\r\nvirtual 1.27.0 ide49 virtual board with wasm\r\nwasm virtual board\r\n');
  });

  test('files survive soft reset, hard reset and a restart of the board', async () => {
    t = await startInRawRepl();
    await t.exec('open("keep.txt", "w").write("kept")');
    await t.send('\x04');
    await t.out.readUntil(RAW_BANNER.slice(2));
    expect(await t.exec('print(open("keep.txt").read())')).toEqual(['kept\r\n', '']);
    await t.board.hardReset();
    await t.out.readUntil('>>> ');
    await t.send('\x01');
    await t.out.readUntil(RAW_BANNER);
    expect(await t.exec('print(open("keep.txt").read())')).toEqual(['kept\r\n', '']);
    await t.stop();

    const again = await VirtualBoard.start({ name: 'test', flashDir: t.flashDir, link: 'none' });
    const out = new Transcript(again);
    try {
      await out.readUntil('>>> ');
      await again.write(Buffer.from('print(open("keep.txt").read())\r'));
      expect(await out.readUntil('>>> ')).toContain('\r\nkept\r\n');
    } finally {
      await again.stop();
    }
  });
});
