// The kernel with a board on a real pty (the virtual board's CLI in a child process), as
// it sees a USB board: connecting to a busy board, unplugging it mid-cell, replugging it.
import { mkdirSync, writeFileSync } from 'node:fs';
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
});
