// The file magics end to end: a kernel process, a real Jupyter client over ZeroMQ, and the
// in-process virtual board (real MicroPython) whose flash folder the test reads on the host.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveMipIndex, type MipIndexServer } from '@ide49/device/dist/test/helpers/mip-index';
import { displaysOf, FilesKernel, plainOf } from './files-magics-fixtures';

const BOARD = `files-${process.pid}`;
let kernel: FilesKernel;
let flash: string;

/** Every byte value, in every position modulo 256. */
function everyByteValue(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => i & 0xff));
}

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

/** The complete_reply content for `code` with the cursor at `cursor` (code points; default: the end). */
async function complete(code: string, cursor = [...code].length, channel: 'shell' | 'control' = 'shell') {
  return (await kernel.client.request('complete_request', { code, cursor_pos: cursor }, channel)).content;
}

beforeAll(async () => {
  kernel = await FilesKernel.start();
  flash = kernel.flashOf(BOARD);
});

afterAll(async () => {
  await kernel?.close();
});

test('without a board, a file magic says how to connect one', async () => {
  const error = await kernel.fail('%rlist');
  expect(error.ename).toBe('NoBoardError');
  expect(error.evalue).toMatch(/%connect/);
});

test('%lsmagic lists every file magic under "Files" with one line of help', async () => {
  const outcome = await kernel.run('%lsmagic');
  const text = plainOf(displaysOf(outcome)[0]);
  const files = text.slice(text.indexOf('Files:'), text.indexOf('\n\n', text.indexOf('Files:')));
  for (const magic of ['%cat', '%cp', '%mip', '%mkdirs', '%rdiff', '%rlist', '%rm', '%rsync', '%%writefile']) {
    expect(files).toMatch(new RegExp(`^  ${magic} .+ \\w+`, 'm'));
  }
  // the markdown table: every row has its three cells ("|" inside a usage is escaped)
  const markdown = String((displaysOf(outcome)[0].content.data as Record<string, string>)['text/markdown']);
  for (const row of markdown.split('\n').filter((line) => line.startsWith('| `'))) {
    expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(4);
  }
  expect(markdown).toContain('[--mpy\\|--py]');
});

test('without a board, Tab on a board path answers empty, not an error', async () => {
  expect(await complete('%cat :/ma')).toMatchObject({ status: 'ok', matches: [] });
});

describe('with the in-process virtual board', () => {
  beforeAll(async () => {
    await kernel.run(`%connect virtual://${BOARD}`);
  });

  test('%%writefile -r puts the cell body on the board; %cat shows it', async () => {
    const written = await kernel.run('%%writefile -r :/lib/greet.py\ndef greet(name):\n    return "grüß " + name');
    expect(written.stdout).toBe('Wrote :/lib/greet.py on the board\n');
    expect(readFileSync(join(flash, 'lib/greet.py'), 'utf8')).toBe('def greet(name):\n    return "grüß " + name\n');
    expect((await kernel.run('%cat :/lib/greet.py')).stdout).toBe('def greet(name):\n    return "grüß " + name\n');
    expect((await kernel.run('import greet\nprint(greet.greet("Ada"))')).stdout).toBe('grüß Ada\n');
  });

  test('%%writefile without -r still writes a host file', async () => {
    await kernel.run('%%writefile host.txt\nhello');
    expect(readFileSync(kernel.inNotebook('host.txt'), 'utf8')).toBe('hello\n');
  });

  test('%cp copies binary files both ways, and folders with -r', async () => {
    const data = everyByteValue(40_000);
    writeTree(kernel.notebook, { 'blob.bin': data, 'pkg/a.py': 'A = 1\n', 'pkg/sub/b.bin': everyByteValue(300) });
    expect((await kernel.run('%cp blob.bin :/data/')).stdout).toMatch(/^copied 1 file, 39\.1 KiB in/);
    expect(readFileSync(join(flash, 'data/blob.bin')).equals(data)).toBe(true);

    expect(await kernel.run('%cat :/data/blob.bin')).toMatchObject({ stdout: '', stderr: ':/data/blob.bin is not UTF-8 text (40000 bytes); %cp :/data/blob.bin FILE copies it to the host as it is.\n' });
    await kernel.run('%cp :/data/blob.bin back.bin');
    expect(readFileSync(kernel.inNotebook('back.bin')).equals(data)).toBe(true);
    await kernel.run('%cp :/data/blob.bin ~/');
    expect(readFileSync(kernel.inHome('blob.bin')).equals(data)).toBe(true);

    await kernel.run('%cp -r pkg :/');
    expect(readFileSync(join(flash, 'pkg/sub/b.bin')).equals(everyByteValue(300))).toBe(true);
    await kernel.run('%cp -r :/pkg copied');
    expect(readFileSync(kernel.inNotebook('copied/sub/b.bin')).equals(everyByteValue(300))).toBe(true);
    expect(readFileSync(kernel.inNotebook('copied/a.py'), 'utf8')).toBe('A = 1\n');
  });

  test('%rlist shows a folder, -r the tree below it, with sizes', async () => {
    await kernel.run('%cp -r pkg :/tree');
    expect((await kernel.run('%rlist :/tree')).stdout).toBe([':/tree', '├── a.py  6 B', '└── sub/', '1 file, 6 B', ''].join('\n'));
    expect((await kernel.run('%rlist -r :/tree')).stdout).toBe(
      [':/tree', '├── a.py         6 B', '└── sub/', '    └── b.bin  300 B', '2 files, 306 B', ''].join('\n'),
    );
  });

  test('%mkdirs creates folders with parents; %rm removes files, and folders only with -r', async () => {
    await kernel.run('%mkdirs :/m/n/o :/m/p');
    expect(existsSync(join(flash, 'm/n/o'))).toBe(true);
    expect(existsSync(join(flash, 'm/p'))).toBe(true);
    await kernel.run('%%writefile -r :/m/n/file.txt\nx');
    await kernel.run('%rm :/m/n/file.txt');
    expect(existsSync(join(flash, 'm/n/file.txt'))).toBe(false);
    const refused = await kernel.fail('%rm :/m');
    expect(refused.ename).toBe('IsADirectoryError');
    expect(refused.evalue).toMatch(/-r/);
    await kernel.run('%rm -r :/m');
    expect(existsSync(join(flash, 'm'))).toBe(false);
  });

  describe('%rsync and %rdiff', () => {
    const project = 'project';
    beforeAll(() => {
      writeTree(kernel.inNotebook(project), {
        'main.py': 'import app\n',
        'app/__init__.py': 'VERSION = 1\n',
        'app/big.bin': everyByteValue(20_000),
        'notes.tmp': 'scratch\n',
        'cache/x.pyc': 'compiled',
        '.ide49ignore': 'cache/\n',
      });
    });

    test('copies what is missing, shows the table (text and HTML), and a second run copies nothing', async () => {
      const first = await kernel.run(`%rsync ${project} :/proj`);
      const report = displaysOf(first).pop()!;
      expect(plainOf(report)).toMatch(/^added {5}app\/\nadded {5}app\/__init__\.py\nadded {5}app\/big\.bin\nadded {5}main\.py\nadded {5}notes\.tmp\n5 added, 0 updated, 0 deleted, 0 unchanged; 19\.6 KiB sent in [\d.]+ s \([\d.]+ \w+\/s\)$/);
      const html = String((report.content.data as Record<string, unknown>)['text/html']);
      expect(html).toMatch(/<tr><th>added<\/th><th>updated<\/th><th>deleted<\/th><th>unchanged<\/th><th>sent<\/th><th>time<\/th><th>rate<\/th><\/tr>/);
      expect(html).toMatch(/<tr><td>5<\/td><td>0<\/td><td>0<\/td><td>0<\/td><td>19\.6 KiB<\/td><td>[\d.]+ s<\/td><td>[\d.]+ \w+\/s<\/td><\/tr>/);
      expect(html).toContain('<tr><td>added</td><td><code>app/big.bin</code></td></tr>');
      expect(existsSync(join(flash, 'proj/cache'))).toBe(false);
      expect(readFileSync(join(flash, 'proj/app/big.bin')).equals(everyByteValue(20_000))).toBe(true);

      const second = await kernel.run(`%rsync ${project} :/proj`);
      expect(plainOf(displaysOf(second).pop()!)).toMatch(/^0 added, 0 updated, 0 deleted, 5 unchanged; 0 B sent/);
    });

    test('%rdiff and --dry-run report changes without copying; --delete removes what the host lacks, --exclude keeps', async () => {
      writeFileSync(kernel.inNotebook(project, 'main.py'), 'import app\nprint(app.VERSION)\n');
      await kernel.run('%%writefile -r :/proj/board-only.txt\nmine');
      await kernel.run('%%writefile -r :/proj/keep.log\nlog');

      const diff = await kernel.run(`%rdiff ${project} :/proj --delete --exclude *.log`);
      const diffReport = displaysOf(diff).pop()!;
      expect(plainOf(diffReport)).toBe('updated   main.py\ndeleted   board-only.txt\n0 would be added, 1 would be updated, 1 would be deleted, 4 unchanged');
      expect(String((diffReport.content.data as Record<string, unknown>)['text/html'])).toContain('<tr><td>0</td><td>1</td><td>1</td><td>4</td></tr>');
      const dryRun = await kernel.run(`%rsync ${project} :/proj --delete --exclude *.log --dry-run`);
      expect(plainOf(displaysOf(dryRun).pop()!)).toMatch(/1 would be updated, 1 would be deleted/);
      expect(readFileSync(join(flash, 'proj/main.py'), 'utf8')).toBe('import app\n');

      const synced = await kernel.run(`%rsync ${project} :/proj --delete --exclude *.log`);
      expect(plainOf(displaysOf(synced).pop()!)).toMatch(/^updated {3}main\.py\ndeleted {3}board-only\.txt\n0 added, 1 updated, 1 deleted, 4 unchanged/);
      expect(readFileSync(join(flash, 'proj/main.py'), 'utf8')).toBe('import app\nprint(app.VERSION)\n');
      expect(existsSync(join(flash, 'proj/board-only.txt'))).toBe(false);
      expect(existsSync(join(flash, 'proj/keep.log'))).toBe(true);
    });
  });

  test('errors say what to do: missing host file, missing board path, a board path without ":"', async () => {
    const missingHost = await kernel.fail('%cp nothing.py :/');
    expect(missingHost.ename).toBe('FileNotFoundError');
    expect(missingHost.evalue).toContain(kernel.inNotebook('nothing.py'));
    expect(missingHost.evalue).toMatch(/relative to the notebook's folder/);

    const missingBoard = await kernel.fail('%cat :/nothing.py');
    expect(missingBoard).toMatchObject({ ename: 'FileNotFoundError', evalue: expect.stringMatching(/:\/nothing\.py.*%rlist/) });
    expect((await kernel.fail('%rlist :/nowhere')).evalue).toMatch(/\/nowhere.*%rlist/);
    expect((await kernel.fail('%cp :/nothing.py here.py')).evalue).toMatch(/:\/nothing\.py/);

    expect((await kernel.fail('%rm -r :lib/..')).evalue).toMatch(/is the whole board; to empty it, say %rm -r --all :\//);
    const notBoard = await kernel.fail('%rm main.py');
    expect(notBoard).toMatchObject({ ename: 'UsageError', evalue: expect.stringMatching(/start with ':'/) });
    expect((await kernel.fail('%rsync')).ename).toBe('UsageError');
    expect((await kernel.fail('%rsync project --frobnicate')).evalue).toMatch(/Unknown option --frobnicate/);
  });

  describe('Tab completes board paths in file magics', () => {
    beforeAll(async () => {
      await kernel.run('%mkdirs :/tab/lib :/tab/lights :/tab/.hidden');
      await kernel.run('%%writefile -r :/tab/main.py\nprint("main")');
      await kernel.run('%%writefile -r :/tab/lib/sensor.py\nX = 1');
    });

    test('names in the folder being typed, folders with a trailing "/", the range covering the whole :word', async () => {
      expect(await complete('%cat :/tab/ma')).toMatchObject({ status: 'ok', matches: [':/tab/main.py'], cursor_start: 5, cursor_end: 13 });
      expect(await complete('%rlist :/tab/li')).toMatchObject({ matches: [':/tab/lib/', ':/tab/lights/'], cursor_start: 7, cursor_end: 15 });
      expect((await complete('%rlist :/tab/lib/')).matches).toEqual([':/tab/lib/sensor.py']);
      expect((await complete('%cp -r :/tab/')).matches).toEqual([':/tab/lib/', ':/tab/lights/', ':/tab/main.py']);
      expect((await complete('%rm :/tab/.')).matches).toEqual([':/tab/.hidden/']);
      expect((await complete('%rm :tab/l')).matches).toEqual([':tab/lib/', ':tab/lights/']); // relative to the root, as the magics take it
      expect((await complete('%rm :')).matches).toEqual(expect.arrayContaining([':tab/', ':lib/']));
    });

    test('in the middle of a line, on a %%writefile -r first line, and in a line magic after board code', async () => {
      expect(await complete('%cp :/tab/ma here.py', 12)).toMatchObject({ matches: [':/tab/main.py'], cursor_start: 4, cursor_end: 12 });
      expect(await complete('%%writefile -r :/tab/m\nprint(1)', 22)).toMatchObject({ matches: [':/tab/main.py'], cursor_start: 15, cursor_end: 22 });
      expect(await complete('x = 1\n%cat :/tab/lib/s')).toMatchObject({ matches: [':/tab/lib/sensor.py'], cursor_start: 11 });
    });

    test('names with spaces: escaped, or inside the quote the user opened', async () => {
      await kernel.run('%%writefile -r ":/tab/my folder/first try.py"\nprint(1)');
      expect(await complete('%cat :/tab/my')).toMatchObject({ matches: [':/tab/my\\ folder/'], cursor_start: 5 });
      expect((await complete('%cat :/tab/my\\ folder/fi')).matches).toEqual([':/tab/my\\ folder/first\\ try.py']);
      expect(await complete('%cat ":/tab/my folder/fi')).toMatchObject({ matches: ['":/tab/my folder/first try.py"'], cursor_start: 5 });
      expect((await kernel.run('%cat :/tab/my\\ folder/first\\ try.py')).stdout).toContain('print(1)');
    });

    test('not outside file magics: board code, other magics, a %%writefile body; nothing for a missing folder', async () => {
      expect((await complete("x = ':/tab/ma", 13)).matches).not.toContain(':/tab/main.py');
      expect((await complete('%loglevel :/tab/ma')).matches).toEqual([]);
      expect((await complete('%%writefile -r :/x.py\n%cat :/tab/ma')).matches).toEqual([]);
      expect(await complete('%cat :/nowhere/ma')).toMatchObject({ status: 'ok', matches: [] });
      expect(await complete('%cat :/tab/main.py/')).toMatchObject({ status: 'ok', matches: [] });
    });

    test('while a cell runs, the board is not asked: empty at once', async () => {
      // the board is surely busy while its code waits in input()
      let duringRun: { matches: unknown; ms: number } | undefined;
      const outcome = await kernel.client.execute('answer = input("ready? ")', {
        onInput: async () => {
          const askedAt = Date.now();
          const { matches } = await complete('%cat :/tab/ma', undefined, 'control');
          duringRun = { matches, ms: Date.now() - askedAt };
          return 'go';
        },
      });
      expect(outcome.reply.content.status).toBe('ok');
      expect(duringRun?.matches).toEqual([]);
      expect(duringRun?.ms).toBeLessThan(900); // not the 1 s the kernel gives a board that does not answer
      expect((await complete('%cat :/tab/ma')).matches).toEqual([':/tab/main.py']);
    });
  });

  describe('%mip install', () => {
    let index: MipIndexServer;
    beforeAll(async () => {
      // the kernel asks the board which bytecode its packages need, as mip does
      const abi = await kernel.run('import sys\nprint(getattr(sys.implementation, "_mpy", 0) & 0xff or "py")');
      index = await serveMipIndex(abi.stdout.trim());
    });
    afterAll(async () => {
      await index?.close();
    });

    test('installs a package with its dependency from the index through the host, then finds it there', async () => {
      const installed = await kernel.run(`%mip install sensor --index ${index.url}`);
      expect(installed.stdout).toBe('installed sensor 2.0, units 1.2 into :/lib: 4 files written (96 B), 0 already there\n');
      expect((await kernel.run('import sensor\nprint(sensor.read())')).stdout).toBe('celsius\n');
      const again = await kernel.run(`%mip install sensor --index ${index.url}`);
      expect(again.stdout).toMatch(/0 files written \(0 B\), 4 already there/);
    });

    test('a pinned version into a target folder; an unknown package says so', async () => {
      await kernel.run(`%mip install sensor@1.0 --index ${index.url} --target :/pinned`);
      expect(readFileSync(join(flash, 'pinned/sensor/__init__.py'), 'utf8')).toBe('OLD = True\n');
      expect((await kernel.fail(`%mip install nosuch --index ${index.url}`)).evalue).toMatch(/nosuch.*not found/);
    });
  });
});
