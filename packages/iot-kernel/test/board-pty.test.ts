// The kernel with a board on a real pty (the virtual board's CLI in a child process), as
// it sees a USB board: connecting to a busy board, unplugging it mid-cell, replugging it.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoardKernel, PtyBoard } from './board-fixtures';

jest.setTimeout(60_000);

describe('a board on a pty', () => {
  let kernel: BoardKernel;
  let board: PtyBoard;
  let flash: string;
  let port: string;

  beforeAll(async () => {
    kernel = await BoardKernel.start();
    flash = join(kernel.root, 'pty-flash');
    port = join(kernel.root, 'ttyBOARD');
    mkdirSync(flash);
    // main.py prints without end: the kernel must take the board over anyway.
    writeFileSync(join(flash, 'main.py'), 'import time\nwhile True:\n    print("busy main.py")\n    time.sleep(0.01)\n');
    board = await PtyBoard.start(port, flash);
  });

  afterAll(async () => {
    await kernel.close();
    await board.stop();
  });

  test('connecting to a board that prints continuously stops its program and works', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300)); // main.py is running and printing
    const connected = await kernel.run(`%connect ${port}`);
    expect(connected.stdout).toMatch(new RegExp(`^Connected to ${port} \\(serial://${port}\\): MicroPython v1\\.`));
    const cell = await kernel.run('state = "kept"\nfor i in range(3):\n    print(i)');
    expect(cell.stdout).toBe('0\n1\n2\n');
  });

  test('through the pty too: streaming, a traceback with cell lines, input(), the stop button within a second', async () => {
    const streamed = await kernel.run('import time\nfor i in range(4):\n    print("pty", i)\n    time.sleep(0.1)');
    expect(streamed.stdout).toBe('pty 0\npty 1\npty 2\npty 3\n');
    expect(streamed.outputs.filter((m) => m.header.msg_type === 'stream').length).toBeGreaterThan(1);
    const failed = await kernel.fail('\nx = [1]\nx[3]');
    expect(failed.ename).toBe('IndexError');
    expect(failed.traceback).toContain(`  Cell In[${failed.outcome.reply.content.execution_count}], line 3`);
    const answered = await kernel.run('print(input("pin? ") * 2)', { onInput: () => '21' });
    expect(answered.stdout).toBe('pin? 2121\n');

    const running = kernel.client.execute('import time\nwhile True:\n    print("spin")\n    time.sleep(0.02)');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const stoppedAt = Date.now();
    await kernel.client.request('interrupt_request', {}, 'control');
    const outcome = await running;
    expect(Date.now() - stoppedAt).toBeLessThan(1000);
    expect(outcome.reply.content.ename).toBe('KeyboardInterrupt');
    expect((await kernel.run('print(state)')).stdout).toBe('kept\n');
  });

  test('%discover lists a registered pty board, marked as the connected one', async () => {
    await kernel.run(`%register ptyboard ${port}`);
    const listed = await kernel.run('%discover');
    const table = String((listed.outputs.find((m) => m.header.msg_type === 'display_data')!.content.data as Record<string, string>)['text/plain']);
    expect(table).toMatch(new RegExp(`ptyboard +serial://${port} +[0-9a-f]{16} +.*connected`));
    await kernel.run('%unregister ptyboard');
  });

  test('%connect --baud applies to serial ports only', async () => {
    expect((await kernel.fail('%connect virtual://x --baud 9600')).evalue).toMatch(/--baud applies to serial boards only/);
    expect((await kernel.fail('%connect /dev/ide49-no-such-port --baud 9600')).evalue).toMatch(/^cannot open serial:\/\/\/dev\/ide49-no-such-port\?baud=9600: /);
    expect((await kernel.run('print(state)')).stdout).toBe('kept\n'); // a failed %connect keeps the board
  });

  test('%connect to the connected port under another name or baud reopens it (a port opens once)', async () => {
    const alias = join(kernel.root, 'ttyALIAS');
    symlinkSync(port, alias);
    expect((await kernel.run(`%connect ${alias}`)).stdout).toMatch(new RegExp(`^Connected to ${alias} \\(serial://${alias}\\): MicroPython`));
    expect((await kernel.run('print(state)')).stdout).toBe('kept\n'); // the same board, still running
    expect((await kernel.run(`%connect ${port} --baud 9600`)).stdout).toMatch(/^Connected to /);
    expect((await kernel.run(`%connect ${port}`)).stdout).toMatch(new RegExp(`^Connected to ${port} \\(serial://${port}\\): MicroPython`));
  });

  test('unplugged mid-cell: a clean error, the kernel lives; replugged: reconnected and said so', async () => {
    const running = kernel.client.execute('import time\nwhile True:\n    print("tock")\n    time.sleep(0.05)', { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await board.stop('SIGKILL');
    const outcome = await running;
    expect(outcome.stdout).toContain('tock\n');
    expect(outcome.reply.content).toMatchObject({ status: 'error', ename: 'BoardGoneError' });
    expect(outcome.reply.content.evalue).toMatch(new RegExp(`^board serial://${port} disappeared: .*; it will be reconnected when it comes back\\.$`));
    expect((await kernel.run('!echo kernel alive')).stdout).toBe('kernel alive\n');

    board = await PtyBoard.start(port, flash);
    const back = await kernel.run('print("back")');
    expect(back.stdout).toBe(`reconnected to serial://${port}; variables on the board are gone if it was reset.\nback\n`);
    expect((await kernel.fail('print(state)')).ename).toBe('NameError'); // a new board process: its RAM is new
  });

  test('another board plugged in where the notebook\'s was is not taken for it', async () => {
    await board.stop('SIGKILL');
    const strangerFlash = join(kernel.root, 'stranger-flash');
    mkdirSync(strangerFlash);
    const stranger = await PtyBoard.start(port, strangerFlash, 'stranger');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the port is tried again meanwhile
    const failed = await kernel.fail('print("who is there?")');
    expect(failed.ename).toBe('BoardGoneError');
    expect(failed.evalue).toMatch(/is still away/);
    await stranger.stop();
    board = await PtyBoard.start(port, flash);
    const back = await kernel.run('print("mine")');
    expect(back.stdout).toBe(`reconnected to serial://${port}; variables on the board are gone if it was reset.\nmine\n`);
  });
});
