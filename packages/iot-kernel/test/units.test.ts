// The kernel's pure parts: cell splitting, argument splitting, completeness, history, comms, logo.
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { helpTarget } from '../src/cell/help';
import { splitCell } from '../src/cell/split';
import { isComplete } from '../src/cell/is-complete';
import { lastExpression, withValueShown } from '../src/cell/last-expression';
import { CommManager } from '../src/comms';
import { globToRegExp, History } from '../src/history';
import { pruneOldLogs } from '../src/log';
import { logoPng } from '../src/kernelspec/logo';
import { jupyterSysPrefix, kernelsDir } from '../src/kernelspec/install';
import { splitArgs } from '../src/magics/args';
import { parseOptions } from '../src/magics/files/options';
import { CellOutput } from '../src/cell/output';
import { codePointToIndex, indexToCodePoint } from '../src/codepoints';
import { renderShellWord, shellWordBefore } from '../src/completion';

describe('splitCell', () => {
  test('a %% first line makes the whole cell a cell magic', () => {
    expect(splitCell('%%writefile -a "my file.py"\n%x\n!y')).toEqual([{ kind: 'cell-magic', name: 'writefile', args: '-a "my file.py"', body: '%x\n!y' }]);
  });
  test('line magics, ! lines and board chunks run in order; blank board chunks are dropped', () => {
    expect(splitCell('a = 1\nb = 2\n%loglevel debug\n\n!ls -l\nprint(a)')).toEqual([
      { kind: 'board', code: 'a = 1\nb = 2', line: 1 },
      { kind: 'line-magic', name: 'loglevel', args: 'debug' },
      { kind: 'shell', command: 'ls -l' },
      { kind: 'board', code: 'print(a)', line: 6 },
    ]);
  });
  test('% and ! inside a string, brackets or a continued line are Python text, as in IPython', () => {
    const code = 'msg = """\n!!! warning\n%d%% done\n"""\nitems = [\n!x\n]\ny = 1 + \\\n%2\n!echo host';
    expect(splitCell(code)).toEqual([
      { kind: 'board', code: 'msg = """\n!!! warning\n%d%% done\n"""\nitems = [\n!x\n]\ny = 1 + \\\n%2', line: 1 },
      { kind: 'shell', command: 'echo host' },
    ]);
    // a quote on a magic line opens no string
    expect(splitCell('%cp "a\nprint(1)').map((c) => c.kind)).toEqual(['line-magic', 'board']);
    expect(isComplete('s = """\n%not a magic\n')).toEqual({ status: 'incomplete', indent: '' });
  });
});

describe('helpTarget', () => {
  test.each([
    ['%%writefile?', '%%writefile'],
    ['  machine.Pin? ', 'machine.Pin'],
    ['x = 1?', undefined],
    ['print("?")', undefined],
    ['a?\nb', undefined],
  ])('%j → %j', (code, target) => expect(helpTarget(code)).toBe(target));
});

describe('splitArgs', () => {
  test.each([
    ['a b  c', ['a', 'b', 'c']],
    [`'x y' "a \\"b\\"" c\\ d`, ['x y', 'a "b"', 'c d']],
    [`-a ''`, ['-a', '']],
    ['', []],
  ])('%s', (text, words) => expect(splitArgs(text)).toEqual(words));
  test('an unclosed quote is a usage error', () => expect(() => splitArgs('"abc')).toThrow(/Unclosed " quote/));
});

describe('parseOptions (file magics)', () => {
  test('--NAME=VALUE, repeated values, and -- ending the options', () => {
    const parsed = parseOptions('src :/app --exclude=*.pyc --exclude build/ --delete -- -notes.txt', { flags: ['--delete'], values: ['--exclude'] }, 'usage');
    expect(parsed.positional).toEqual(['src', ':/app', '-notes.txt']);
    expect(parsed.values.get('--exclude')).toEqual(['*.pyc', 'build/']);
    expect([...parsed.flags]).toEqual(['--delete']);
    expect(() => parseOptions('-notes.txt', {}, 'usage')).toThrow(/Unknown option -notes.txt \(a file whose name starts with - goes after --/);
  });
});

describe('the word being completed', () => {
  test.each([
    ['%cp a :/my\\ fo', { value: ':/my fo', start: 6, quote: '\\' }],
    ['%cp a ":/my fo', { value: ':/my fo', start: 6, quote: '"' }],
    ["%cp a :'/my fo", { value: ':/my fo', start: 6, quote: "'" }],
    ['%cp a :/plain', { value: ':/plain', start: 6, quote: '' }],
    ['%cp a ', { value: '', start: 6, quote: '' }],
  ])('%j is read as the magics read it', (text, word) => expect(shellWordBefore(text)).toEqual(word));
  test('completions are written back quoted the same way; a folder leaves the quote open', () => {
    expect(renderShellWord(':/my folder/main.py', '')).toBe(':/my\\ folder/main.py');
    expect(renderShellWord(':/my folder/', '"')).toBe('":/my folder/');
    expect(renderShellWord(':/my folder/a.py', '"')).toBe('":/my folder/a.py"');
    expect(renderShellWord(":/it's/", "'")).toBe(":/it\\'s/");
    expect(renderShellWord(':/plain.py', '')).toBe(':/plain.py');
    // what the magics read back is the path itself
    for (const quote of ['', '"', "'", '\\'] as const) expect(splitArgs(renderShellWord(':/a b/c "d".py', quote))).toEqual([':/a b/c "d".py']);
  });
});

describe('lastExpression', () => {
  const expressionOf = (code: string) => {
    const found = lastExpression(code);
    return found && code.slice(found.start, found.end);
  };
  test.each([
    ['x', 'x'],
    ['a = 1\nb = [a,\n  2]  # list\nb[0] == a', 'b[0] == a'],
    ['for i in range(3):\n    print(i)\ni * 2', 'i * 2'],
    ['f(x=1, y={"k": lambda: 2})', 'f(x=1, y={"k": lambda: 2})'],
    ['s = 1\n"""a\nb = 2"""', '"""a\nb = 2"""'],
    ['x if y else z  # c', 'x if y else z'],
    ['a != b', 'a != b'],
    ['1 + \\\n  2', '1 + \\\n  2'],
    ['not done', 'not done'],
  ])('%j ends with the expression %j', (code, expression) => expect(expressionOf(code)).toBe(expression));
  test.each([
    'x = 1', 'x += 1', 'x >>= 1', 'x: int = 1', 'a, b = b, a', 'import os', 'del x', 'pass', 'return',
    'for i in y:\n    i', 'if x: y', 'x;', 'x; y', 'lambda: 1', '@decorator', 'f(', 's = """open', '', '# only a comment', 'x = [\n  1,\n  2]',
  ])('%j has none', (code) => expect(lastExpression(code)).toBeUndefined());
  test('the expression is wrapped in place', () => {
    const code = 'a = 2\na * 3  # six';
    expect(withValueShown(code, lastExpression(code)!, (expression) => `show(${expression})`)).toBe('a = 2\nshow(a * 3)  # six');
  });
});

describe('isComplete', () => {
  test.each([
    ['x = 1', 'complete'],
    ['', 'complete'],
    ['%lsmagic', 'complete'],
    ['!ls', 'complete'],
    ['for i in range(3):\n    print(i)\n\n', 'complete'],
    ['s = """a\nb"""', 'complete'],
    ['d = {"a": [1, 2]}  # (comment', 'complete'],
    ["s = 'it\\'s'", 'complete'],
  ])('%j is complete', (code, status) => expect(isComplete(code)).toEqual({ status }));

  test.each([
    ['for i in range(3):', '    '],
    ['if x:\n    for y in z:', '        '],
    ['x = [1,\n', '    '],
    ['print("a",', '    '],
    ['s = """abc', ''],
    ['x = 1 + \\', ''],
    ['def f():\n    return 1', ''],
    ['while True:\n    pass  # comment', ''],
    ['if x:\n    y = 1', '    '],
    ['%%bash\necho hi', ''],
  ])('%j is incomplete with indent %j', (code, indent) => expect(isComplete(code)).toEqual({ status: 'incomplete', indent }));

  test.each(['x = )', 'f(]', 'print("abc\n")', '  x = 1', "s = 'abc"])('%j is invalid', (code) => expect(isComplete(code)).toEqual({ status: 'invalid' }));
});

describe('History', () => {
  const history = new History();
  history.add(1, 'a = 1');
  history.add(2, '%loglevel', "'info'");
  history.add(3, 'a = 1');
  history.add(5, 'b = 2');

  test('tail, with and without output', () => {
    expect(history.query({ hist_access_type: 'tail', n: 2 })).toEqual([[1, 3, 'a = 1'], [1, 5, 'b = 2']]);
    expect(history.query({ hist_access_type: 'tail', n: 1, output: true })).toEqual([[1, 5, ['b = 2', null]]]);
  });
  test('range over line numbers, stop excluded; other sessions are empty', () => {
    expect(history.query({ hist_access_type: 'range', session: 0, start: 2, stop: 4 })).toEqual([[1, 2, '%loglevel'], [1, 3, 'a = 1']]);
    expect(history.query({ hist_access_type: 'range', session: 7, start: 1 })).toEqual([]);
  });
  test('search with a glob, unique keeps the latest of equal inputs, n the last matches', () => {
    expect(history.query({ hist_access_type: 'search', pattern: 'a*' }).map((row) => row[1])).toEqual([1, 3]);
    expect(history.query({ hist_access_type: 'search', pattern: '?=*', unique: true })).toEqual([]);
    expect(history.query({ hist_access_type: 'search', pattern: '[ab] = ?', unique: true }).map((row) => row[1])).toEqual([3, 5]);
    expect(history.query({ hist_access_type: 'search', pattern: '*', n: 1 }).map((row) => row[1])).toEqual([5]);
  });
  test('globToRegExp escapes regular expression characters', () => {
    expect(globToRegExp('a.b(*)').test('a.b(x)')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('CommManager', () => {
  test('a registered target gets the comm; an unknown one is closed at once; unregistering stops new comms', () => {
    const published: [string, unknown][] = [];
    const replies: [string, unknown][] = [];
    const comms = new CommManager((type, content) => published.push([type, content]));
    const closedWith: unknown[] = [];
    comms.registerTarget('t', (comm) => ({ onMessage: (data) => comm.send({ got: data }), onClose: (data) => closedWith.push(data) }));
    comms.open({ comm_id: '1', target_name: 't', data: {} }, (type, content) => replies.push([type, content]));
    comms.message({ comm_id: '1', data: { x: 1 } });
    expect(published).toEqual([['comm_msg', { comm_id: '1', data: { got: { x: 1 } } }]]);
    comms.close({ comm_id: '1', data: { bye: true } });
    expect(closedWith).toEqual([{ bye: true }]);
    comms.unregisterTarget('t');
    comms.open({ comm_id: '2', target_name: 't', data: {} }, (type, content) => replies.push([type, content]));
    expect(replies).toEqual([['comm_close', { comm_id: '2', data: {} }]]);
    expect(comms.info()).toEqual({});
  });
});

describe('CellOutput', () => {
  test('coalesces stream text, keeps stdout/stderr order, flushes before a display', () => {
    const sent: [string, Record<string, unknown>][] = [];
    const output = new CellOutput((type, content) => sent.push([type, content]));
    output.stream('stdout', 'a');
    output.stream('stdout', 'b');
    output.stream('stderr', 'c');
    output.stream('stdout', 'd');
    expect(sent).toEqual([]);
    output.display({ 'text/plain': 'x' });
    output.flush();
    expect(sent.map(([type, content]) => (type === 'stream' ? `${content.name}:${content.text}` : type))).toEqual(['stdout:ab', 'stderr:c', 'stdout:d', 'display_data']);
  });
  test('a display with an id can be updated later', () => {
    const sent: [string, unknown][] = [];
    const output = new CellOutput((type, content) => sent.push([type, content]));
    output.display({ 'text/plain': '1 %' }, { displayId: 'progress' });
    output.display({ 'text/plain': '100 %' }, { displayId: 'progress', update: true });
    expect(sent).toEqual([
      ['display_data', { data: { 'text/plain': '1 %' }, metadata: {}, transient: { display_id: 'progress' } }],
      ['update_display_data', { data: { 'text/plain': '100 %' }, metadata: {}, transient: { display_id: 'progress' } }],
    ]);
  });

  test('sends pending text by itself after at most 50 ms', async () => {
    const sent: unknown[] = [];
    const output = new CellOutput((_, content) => sent.push(content));
    output.stream('stdout', 'late');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent).toEqual([{ name: 'stdout', text: 'late' }]);
  });
});

test('pruneOldLogs removes only kernel logs not written for a week', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'iot-kernel-logs-'));
  try {
    const old = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    for (const name of ['iot-kernel-old.log', 'iot-kernel-new.log', 'kernel-old.json', 'other.log']) writeFileSync(join(folder, name), 'x');
    for (const name of ['iot-kernel-old.log', 'kernel-old.json', 'other.log']) utimesSync(join(folder, name), old, old);
    expect(await pruneOldLogs(folder)).toEqual(['iot-kernel-old.log']);
    expect(readdirSync(folder).sort()).toEqual(['iot-kernel-new.log', 'kernel-old.json', 'other.log']);
    expect(await pruneOldLogs(join(folder, 'missing'))).toEqual([]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('--sys-prefix is the sys.prefix of the Python that runs jupyter (a virtualenv\'s, say)', () => {
  const bin = mkdtempSync(join(tmpdir(), 'iot-kernel-venv-'));
  try {
    // a virtualenv's layout: bin/jupyter starts with #! and the path of the env's python
    writeFileSync(join(bin, 'python'), '#!/bin/sh\necho /opt/some-venv\n');
    writeFileSync(join(bin, 'jupyter'), `#!${join(bin, 'python')}\n# jupyter entry point\n`);
    chmodSync(join(bin, 'python'), 0o755);
    expect(jupyterSysPrefix({ PATH: `${bin}:/usr/bin:/bin` })).toBe('/opt/some-venv');
    expect(kernelsDir({ kind: 'sys-prefix' }, { PATH: `${bin}:/usr/bin:/bin` })).toBe('/opt/some-venv/share/jupyter/kernels');
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
  // here: Debian's jupyter, whose Python's prefix is /usr
  if (existsSync('/usr/bin/jupyter')) expect(jupyterSysPrefix({ PATH: '/usr/bin:/bin' })).toBe('/usr');
  expect(jupyterSysPrefix({ PATH: '/nonexistent' })).toBe('/usr');
});

test('logoPng is a valid RGBA PNG of the asked size', () => {
  const png = logoPng(32);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBe(32);
  const idatLength = png.readUInt32BE(33);
  expect(png.subarray(37, 41).toString('latin1')).toBe('IDAT');
  expect(inflateSync(png.subarray(41, 41 + idatLength)).length).toBe(32 * (1 + 32 * 4));
});

describe('code points (Jupyter cursors) and JavaScript indices', () => {
  const text = 'a😀b';
  test('an astral character is one code point but two UTF-16 units', () => {
    expect(codePointToIndex(text, 2)).toBe(3);
    expect(indexToCodePoint(text, 3)).toBe(2);
    expect(codePointToIndex(text, 99)).toBe(text.length);
  });
});
