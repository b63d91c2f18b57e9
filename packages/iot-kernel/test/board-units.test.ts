// Host-side pieces of board cells that need no board: traceback presentation, %connect arguments, remembered boards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notebookKey, RememberedBoards } from '../src/board/remembered';
import { boardCellError, CellDefinitions } from '../src/board/traceback';
import { parseTarget } from '../src/magics/connect';

describe('board tracebacks', () => {
  const exception = (traceback: string[]) => ({ type: 'ValueError', message: 'bad', traceback: [...traceback, 'ValueError: bad'] });

  test('frames of this cell show its line and source, frames of earlier cells their cell, board files stay as printed', () => {
    const definitions = new CellDefinitions();
    definitions.record('def helper():\n    raise ValueError("bad")', 3);
    const cell = { code: '\n\nimport lib\nhelper()\nlib.run()', executionCount: 7 };
    definitions.record(cell.code, 7);
    const error = boardCellError(
      exception(['Traceback (most recent call last):', '  File "<stdin>", line 4, in <module>', '  File "<stdin>", line 2, in helper', '  File "lib.py", line 9, in run', '  File "<stdin>", line 1, in unknown']),
      cell,
      definitions,
    );
    expect(error.ename).toBe('ValueError');
    expect(error.evalue).toBe('bad');
    expect(error.traceback).toEqual([
      'Traceback (most recent call last):',
      '  Cell In[7], line 4',
      '      helper()',
      '  Cell In[3], line 2, in helper',
      '  File "lib.py", line 9, in run',
      '  File "<stdin>", line 1, in unknown',
      'ValueError: bad',
    ]);
  });

  test('a function redefined in a later cell is attributed to that cell', () => {
    const definitions = new CellDefinitions();
    definitions.record('def f():\n    pass', 1);
    definitions.record('class Thing:\n    def f(self):\n        pass', 2);
    expect(definitions.cellDefining('f')).toBe(2);
    expect(definitions.cellDefining('Thing')).toBe(2);
  });
});

describe('%connect arguments', () => {
  test.each([
    [[], undefined],
    [['mypico'], { target: 'mypico', baud: undefined }],
    [['/dev/ttyUSB0', '--baud', '9600'], { target: '/dev/ttyUSB0', baud: 9600 }],
  ])('%j → %j', (words, target) => expect(parseTarget(words, 'usage')).toEqual(target));

  test.each([[['a', 'b']], [['--baud', 'x', 'a']], [['--baud', '9600']]])('%j is a usage error', (words) => {
    expect(() => parseTarget(words, 'usage')).toThrow(expect.objectContaining({ ename: 'UsageError' }));
  });
});

describe('remembered boards', () => {
  test('one entry per notebook key, removed on demand; JPY_SESSION_NAME is the key when set', () => {
    const folder = mkdtempSync(join(tmpdir(), 'iot-kernel-remembered-'));
    try {
      const boards = new RememberedBoards(join(folder, 'ide49', 'last-boards.json'));
      expect(boards.get('/notebooks')).toBeUndefined();
      boards.set('/notebooks', { target: 'mypico', url: 'serial:///dev/ttyACM0' });
      boards.set('/other', { target: 'virtual://demo', url: 'virtual://demo' });
      expect(new RememberedBoards(boards.path).get('/notebooks')).toEqual({ target: 'mypico', url: 'serial:///dev/ttyACM0' });
      boards.set('/notebooks', undefined);
      expect(boards.get('/notebooks')).toBeUndefined();
      expect(boards.get('/other')?.target).toBe('virtual://demo');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(notebookKey({ JPY_SESSION_NAME: '/work/a.ipynb' }, '/work')).toBe('/work/a.ipynb');
    expect(notebookKey({}, '/work')).toBe('/work');
  });
});
