// Board cells and board magics through the kernel process, on in-process virtual boards
// (real MicroPython in a worker thread behind `virtual://NAME`).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoardKernel } from './board-fixtures';

jest.setTimeout(60_000);

describe('board cells on a virtual board', () => {
  let kernel: BoardKernel;

  beforeAll(async () => {
    kernel = await BoardKernel.start();
  });

  afterAll(async () => {
    await kernel.close();
  });

  test('%connect prints the board in one line; kernel_info then reports its MicroPython version', async () => {
    const connected = await kernel.run('%connect virtual://alpha');
    expect(connected.stdout).toMatch(/^Connected to virtual:\/\/alpha: MicroPython v1\.\d+\.\d+.*, webassembly .*, uid [0-9a-f]{16}\n$/);
    const info = await kernel.client.request('kernel_info_request');
    expect((info.content.language_info as { version: string }).version).toMatch(/^1\.\d+\.\d+/);
    expect(info.content.banner).toMatch(/connected: virtual:\/\/alpha/);
  });

  test('output is streamed while the board code runs', async () => {
    const header = kernel.client.send('shell', 'execute_request', { code: 'import time\nfor i in range(8):\n    print("step", i)\n    time.sleep(0.1)', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const firstStreamAt = await new Promise<number>((resolve) => {
      const poll = setInterval(() => {
        const streams = kernel.client.iopubOf(header.msg_id).filter((m) => m.header.msg_type === 'stream');
        if (streams.length > 0) {
          clearInterval(poll);
          resolve(Date.now());
        }
      }, 10);
    });
    const iopub = await kernel.client.waitForIdle(header.msg_id);
    const idleAt = Date.now();
    expect(idleAt - firstStreamAt).toBeGreaterThan(300); // the first line came long before the end
    const text = iopub.filter((m) => m.header.msg_type === 'stream').map((m) => m.content.text).join('');
    expect(text).toBe(Array.from({ length: 8 }, (_, i) => `step ${i}\n`).join(''));
  });

  test('a board exception is a Jupyter error whose traceback names the cell lines, after magic lines too', async () => {
    const failed = await kernel.fail('x = 1\n%loglevel\ny = 0\nprint(x / y)');
    expect(failed.ename).toBe('ZeroDivisionError');
    expect(failed.evalue).toBe('divide by zero');
    const count = failed.outcome.reply.content.execution_count;
    expect(failed.traceback).toEqual(['Traceback (most recent call last):', `  Cell In[${count}], line 4`, '      print(x / y)', 'ZeroDivisionError: divide by zero']);
    const definer = await kernel.run('\ndef half(n):\n    return n / 0');
    const caller = await kernel.fail('half(4)');
    expect(caller.traceback.join('\n')).toContain(`Cell In[${definer.reply.content.execution_count}], line 3, in half`);
  });

  test('a last expression is the cell\'s result (Out[n]) as in IPython; statements, None and a trailing ; show none', async () => {
    const results = (outcome: { outputs: Array<{ header: { msg_type: string }; content: Record<string, unknown> }> }) =>
      outcome.outputs.filter((m) => m.header.msg_type === 'execute_result').map((m) => m.content);
    const shown = await kernel.run('x = 6\nx * 7  # the answer');
    expect(results(shown)).toEqual([{ execution_count: shown.reply.content.execution_count, data: { 'text/plain': '42' }, metadata: {} }]);
    expect(results(await kernel.run('x, -x'))[0]?.data).toEqual({ 'text/plain': '(6, -6)' });
    // Windows line ends: the continued line is not a statement of its own
    expect(results(await kernel.run('z = 1 + \\\r\n2\r\nz'))[0]?.data).toEqual({ 'text/plain': '3' });
    const mixed = await kernel.run('print("before")\n%loglevel\n"a\\x07b" + str([1, (2,)])');
    expect(mixed.stdout).toContain('before\n');
    expect(results(mixed)[0]?.data).toEqual({ 'text/plain': "'a\\x07b[1, (2,)]'" });
    for (const code of ['y = x', 'print("printed")', 'x * 7;', 'for i in range(2):\n    i', 'None', 'x >>= 1', 'd = {}\nd[1] = 2']) {
      expect(results(await kernel.run(code))).toEqual([]);
    }
    const failed = await kernel.fail('1 / 0');
    expect(failed.traceback).toContain('      1 / 0');
    expect((await kernel.run('print([name for name in globals() if "ide49" in name])')).stdout).toBe('[]\n');
  });

  test('input() on the board becomes an input_request', async () => {
    const prompts: string[] = [];
    const outcome = await kernel.run('name = input("Your name? ")\nprint("hello", name)', {
      onInput: (prompt) => {
        prompts.push(prompt);
        return 'Ada';
      },
    });
    expect(prompts).toEqual(['Your name? ']);
    expect(outcome.stdout).toContain('hello Ada\n');
  });

  test('the stop button interrupts a printing loop within a second; the board keeps its variables', async () => {
    await kernel.run('kept = 42');
    const running = kernel.client.execute('import time\nwhile True:\n    print("tick")\n    time.sleep(0.05)');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stoppedAt = Date.now();
    await kernel.client.request('interrupt_request', {}, 'control');
    const outcome = await running;
    expect(Date.now() - stoppedAt).toBeLessThan(1000);
    expect(outcome.reply.content.ename).toBe('KeyboardInterrupt');
    expect(outcome.stdout).toContain('tick\n');
    expect((await kernel.run('print(kept)')).stdout).toBe('42\n');
  });

  test('completion and inspection come from the board; while a cell runs they answer empty at once', async () => {
    await kernel.run('import sys\nmy_counter = 3');
    const names = await kernel.client.request('complete_request', { code: 'x = my_cou', cursor_pos: 10 });
    expect(names.content).toMatchObject({ status: 'ok', matches: ['my_counter'], cursor_start: 4, cursor_end: 10 });
    const attributes = await kernel.client.request('complete_request', { code: 'sys.pla', cursor_pos: 7 });
    expect(attributes.content.matches).toEqual(['sys.platform']);
    const inspected = await kernel.client.request('inspect_request', { code: 'sys.platform', cursor_pos: 5, detail_level: 0 });
    expect(inspected.content).toMatchObject({ found: true, data: { 'text/plain': "'webassembly'" } });

    const busy = kernel.client.execute('import time\ntime.sleep(2)');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const askedAt = Date.now();
    const duringRun = await kernel.client.request('complete_request', { code: 'my_cou', cursor_pos: 6 }, 'control');
    expect(duringRun.content.matches).toEqual([]);
    expect(Date.now() - askedAt).toBeLessThan(900); // not the 1 s the kernel gives a board that does not answer
    await busy;
  });

  test('the stop button also stops a board magic whose board code hangs', async () => {
    await kernel.run('import os, time\n_statvfs = os.statvfs\ndef hang(path):\n    while True:\n        time.sleep(0.05)\nos.statvfs = hang');
    const running = kernel.client.execute('%info');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await kernel.client.request('interrupt_request', {}, 'control');
    const outcome = await running;
    expect(outcome.reply.content.status).toBe('error');
    expect(String(outcome.reply.content.evalue)).toMatch(/KeyboardInterrupt/);
    await kernel.run('os.statvfs = _statvfs');
  });

  test('%info, %softreset, %hardreset, %synctime and %gettime', async () => {
    const info = await kernel.run('%info');
    const plain = String((info.outputs.find((m) => m.header.msg_type === 'display_data')!.content.data as Record<string, string>)['text/plain']);
    expect(plain).toMatch(/firmware +v1\.\d+/);
    expect(plain).toMatch(/unique id +[0-9a-f]{16}/);
    expect(plain).toMatch(/memory +[\d.]+ KiB free of [\d.]+ KiB/);
    expect(plain).toMatch(/flash +[\d.]+ KiB used of [\d.]+ KiB/);

    await kernel.run('before_reset = 1');
    expect((await kernel.run('%softreset')).stdout).toMatch(/soft reboot[\s\S]*Soft reset done\.\n$/);
    expect((await kernel.fail('print(before_reset)')).ename).toBe('NameError');
    const hard = await kernel.run('%hardreset');
    expect(hard.stdout).toMatch(/MicroPython v1\.\d+[\s\S]*Hard reset done\.\n$/);
    const hardStreams = hard.outputs.filter((m) => m.header.msg_type === 'stream').map((m) => String(m.content.text));
    expect(hardStreams.slice(0, -1).join('')).toMatch(/MicroPython v1\./); // the boot output came live, before the board was quiet
    expect(hardStreams[hardStreams.length - 1]).toMatch(/^\n?Hard reset done\.\n$/);
    expect((await kernel.run('print(1 + 1)')).stdout).toBe('2\n');

    expect((await kernel.run('%synctime')).stdout).toMatch(/^Board clock set to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n$/);
    const time = await kernel.run('%gettime');
    const [, seconds] = /(?:same as this computer|(\d+) s (?:ahead of|behind) this computer)/.exec(time.stdout) ?? [];
    expect(time.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(/);
    expect(Number(seconds ?? 0)).toBeLessThanOrEqual(2);
  });

  test('%register, %discover, %unregister; %%connect runs a cell on two boards, the notebook board stays', async () => {
    expect((await kernel.run('%register beta virtual://beta')).stdout).toBe('Registered beta → virtual://beta\n');
    expect((await kernel.run('%register here virtual://alpha')).stdout).toMatch(/^Registered here → virtual:\/\/alpha \(uid [0-9a-f]{16}\)\n$/);
    const registry = JSON.parse(readFileSync(join(kernel.root, 'jupyter-config', 'ide49', 'devices.json'), 'utf8'));
    expect(registry.devices.map((d: { name: string }) => d.name)).toEqual(['beta', 'here']);
    const listed = await kernel.run('%discover');
    const table = listed.outputs.find((m) => m.header.msg_type === 'display_data')!.content.data as Record<string, string>;
    expect(table['text/plain']).toMatch(/^name +URL +uid +firmware +state/);
    expect(table['text/plain']).toMatch(/beta +virtual:\/\/beta +registered/);
    expect(table['text/plain']).toMatch(/here +virtual:\/\/alpha .*connected/);
    expect(table['text/html']).toContain('<th style="text-align:left">URL</th>');

    await kernel.run('where = "alpha"');
    const both = await kernel.run('%%connect here beta\nimport sys\nprint(sys.platform, globals().get("where"))');
    expect(both.stdout).toBe('──── here ────\nwebassembly alpha\n──── beta ────\nwebassembly None\n');
    const failing = await kernel.fail('%%connect beta\nprint("before")\nraise ValueError("on beta")');
    expect(failing.ename).toBe('BoardError');
    expect(failing.outcome.stdout).toBe('──── beta ────\nbefore\n');
    expect(failing.outcome.stderr).toContain('line 3');
    expect(failing.outcome.stderr).toContain('ValueError: on beta');
    expect((await kernel.run('print(where)')).stdout).toBe('alpha\n');

    expect((await kernel.run('%unregister beta')).stdout).toBe('Unregistered beta\n');
    expect((await kernel.fail('%unregister beta')).evalue).toMatch(/No board is registered as beta; registered: here/);
    expect((await kernel.fail('%connect beta')).evalue).toMatch(/unknown device "beta"/);
    expect((await kernel.fail('%connect ws://192.168.4.1')).evalue).toMatch(/not supported yet/);
  });

  test('the kernel reconnects the notebook\'s last board when it starts again; %disconnect forgets it', async () => {
    await kernel.run('%connect virtual://gamma');
    expect(existsSync(join(kernel.root, 'jupyter-config', 'ide49', 'last-boards.json'))).toBe(true);
    await kernel.restart();
    const info = await kernel.client.request('kernel_info_request');
    expect(info.content.status).toBe('ok');
    expect((await kernel.run('import sys\nprint(sys.platform)')).stdout).toBe('webassembly\n');
    expect((await kernel.client.request('kernel_info_request')).content.banner).toMatch(/connected: virtual:\/\/gamma/);
    expect((await kernel.run('%disconnect')).stdout).toBe('Disconnected from virtual://gamma\n');
    expect((await kernel.fail('print(1)')).ename).toBe('NoBoardError');
    await kernel.restart();
    expect((await kernel.fail('print(1)')).ename).toBe('NoBoardError');

    const missing = { target: '/dev/ide49-no-such-port', url: 'serial:///dev/ide49-no-such-port' };
    writeFileSync(join(kernel.root, 'jupyter-config', 'ide49', 'last-boards.json'), JSON.stringify({ [join(kernel.root, 'notebook')]: missing }));
    await kernel.restart();
    const gone = await kernel.fail('print(1)');
    expect(gone.ename).toBe('NoBoardError');
    expect(gone.evalue).toMatch(/\(reconnecting \/dev\/ide49-no-such-port, this notebook's last board, failed: cannot open serial:\/\/\/dev\/ide49-no-such-port: .*\)$/);
  });

  test('%connect without a name connects the demo virtual board (no $IOT_BOARD, no USB board here), not remembered', async () => {
    expect((await kernel.run('%connect')).stdout).toMatch(/^Connected to virtual:\/\/demo: /);
    expect((await kernel.run('%connect')).stdout).toMatch(/^Connected to virtual:\/\/demo: /); // kept as it is
    await kernel.restart();
    expect((await kernel.fail('print(1)')).ename).toBe('NoBoardError'); // a default is not remembered: a USB board plugged in later wins
  });
});
