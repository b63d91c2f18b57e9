// The kernel started inside the test process, so the test can plug a board session and a
// comm target into it; the client still talks to it over real ZeroMQ sockets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BoardSession } from '../src/board/session';
import { Logger } from '../src/log';
import { startKernel, type RunningKernel } from '../src/main';
import type { CellContext } from '../src/magics/magic';
import { KernelTestClient, makeConnectionInfo } from './client';

/**
 * A stand-in board session that tests the kernel's side of the BoardSession seam: a
 * password input_request, an execute_result returned by a session, stdin refused or
 * interrupted. A real board cannot drive these (MicroPython's input() has no password
 * mode and returns no value); the real board's input(), output, completion and
 * inspection are tested against the virtual board in board.test.ts and board-pty.test.ts.
 */
class GreeterBoard implements BoardSession {
  readonly name = 'test://greeter';
  readonly micropythonVersion = '1.99.0';
  closed = false;

  async exec(code: string, context: CellContext) {
    const name = await context.input(code.trim(), { password: code.includes('secret') });
    context.stdout(`hello ${name}\n`);
    return { 'text/plain': `'${name}'` };
  }
  async complete(code: string, cursor: number) {
    return { matches: ['machine', 'math'], start: cursor - 2, end: cursor };
  }
  async completePath(path: string) {
    return ['/greeting.txt'].filter((file) => file.startsWith(path));
  }
  async inspect() {
    return { 'text/plain': 'a board object' };
  }
  async close() {
    this.closed = true;
  }
}

describe('kernel with a board session and a comm target', () => {
  let running: RunningKernel;
  let client: KernelTestClient;
  let board: GreeterBoard;
  let cwd: string;

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'iot-kernel-inprocess-'));
    running = await startKernel(await makeConnectionInfo(), new Logger('error'), cwd);
    board = new GreeterBoard();
    await running.kernel.board.attach(board);
    running.kernel.comms.registerTarget('test.echo', (comm, data) => {
      comm.send({ opened: data });
      return { onMessage: (message) => comm.send({ echo: message }) };
    });
    client = await KernelTestClient.attach(running.server.info);
  });

  afterAll(async () => {
    await client.close();
    await running.server.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  test('kernel_info reports the board MicroPython version', async () => {
    const reply = await client.request('kernel_info_request');
    expect(reply.content.language_info).toMatchObject({ name: 'python', version: '1.99.0' });
  });

  test('stdin round trip: input_request goes out on stdin, the input_reply value comes back', async () => {
    const prompts: [string, boolean][] = [];
    const outcome = await client.execute('your name: ', { onInput: (prompt, password) => (prompts.push([prompt, password]), 'Ada') });
    expect(prompts).toEqual([['your name:', false]]);
    expect(outcome.stdout).toBe('hello Ada\n');
    expect(outcome.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data).toEqual({ 'text/plain': "'Ada'" });
  });

  test('input without allow_stdin is a StdinNotImplementedError', async () => {
    const outcome = await client.execute('name: ');
    expect(outcome.reply.content).toMatchObject({ status: 'error', ename: 'StdinNotImplementedError' });
  });

  test('interrupt_request while waiting for input ends the cell with KeyboardInterrupt', async () => {
    const waiting = client.execute('secret: ', { onInput: () => new Promise<string>(() => undefined) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.request('interrupt_request', {}, 'control');
    expect((await waiting).reply.content.ename).toBe('KeyboardInterrupt');
  });

  test('completion and inspection of board code go through the board session', async () => {
    const completion = await client.request('complete_request', { code: 'import ma', cursor_pos: 9 });
    expect(completion.content).toMatchObject({ matches: ['machine', 'math'], cursor_start: 7, cursor_end: 9 });
    const inspection = await client.request('inspect_request', { code: 'pin', cursor_pos: 1, detail_level: 0 });
    expect(inspection.content).toMatchObject({ found: true, data: { 'text/plain': 'a board object' } });
  });

  test('a board path in a file magic line goes to the board session; its range counts code points', async () => {
    const code = '%cp 🎉.py :/gr';
    const completion = await client.request('complete_request', { code, cursor_pos: [...code].length });
    expect(completion.content).toMatchObject({ status: 'ok', matches: [':/greeting.txt'], cursor_start: 9, cursor_end: 13 }); // UTF-16 indices would be 10 and 14
  });

  test('comm open, messages both ways, info and close through a registered target', async () => {
    const open = client.send('shell', 'comm_open', { comm_id: 'echo-1', target_name: 'test.echo', data: { hello: 1 } });
    await client.waitForIdle(open.msg_id);
    const info = await client.request('comm_info_request', { target_name: 'test.echo' });
    expect(info.content.comms).toEqual({ 'echo-1': { target_name: 'test.echo' } });
    const message = client.send('shell', 'comm_msg', { comm_id: 'echo-1', data: { ping: 2 } });
    await client.waitForIdle(message.msg_id);
    const fromKernel = client.iopubLog.filter((m) => m.header.msg_type === 'comm_msg').map((m) => m.content);
    expect(fromKernel).toEqual([{ comm_id: 'echo-1', data: { opened: { hello: 1 } } }, { comm_id: 'echo-1', data: { echo: { ping: 2 } } }]);
    const close = client.send('shell', 'comm_close', { comm_id: 'echo-1', data: {} });
    await client.waitForIdle(close.msg_id);
    expect((await client.request('comm_info_request', {})).content.comms).toEqual({});
  });
});
