// The kernel as Jupyter runs it (a node process with a connection file), driven over
// real ZeroMQ sockets by KernelTestClient.
import { encodeMessage, makeHeader, MessageSigner } from '../src/protocol/wire';
import { readdirSync, readFileSync } from 'node:fs';
import * as zmq from 'zeromq';
import { channelAddress } from '../src/protocol/connection';
import { KERNEL_CLI, KernelTestClient } from './client';

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** How many processes have `text` in their command line (arguments separated by NUL). */
function processesRunning(text: string): number {
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(text);
    } catch {
      return false;
    }
  }).length;
}

describe('iot-kernel process', () => {
  let client: KernelTestClient;

  beforeAll(async () => {
    client = await KernelTestClient.start();
  });

  afterAll(async () => {
    await client.close();
  });

  test('kernel_info on shell and control, wrapped in busy/idle, with 5.3 headers and one session', async () => {
    for (const channel of ['shell', 'control'] as const) {
      const reply = await client.request('kernel_info_request', {}, channel);
      expect(reply.header.msg_type).toBe('kernel_info_reply');
      expect(reply.header.version).toBe('5.3');
      expect(Date.parse(reply.header.date)).not.toBeNaN();
      expect(reply.content).toMatchObject({
        status: 'ok',
        protocol_version: '5.3',
        implementation: 'iot-kernel',
        language_info: { name: 'python', mimetype: 'text/x-python', file_extension: '.py', codemirror_mode: 'python', pygments_lexer: 'python3' },
      });
      const iopub = await client.waitForIdle((reply.parent_header as { msg_id: string }).msg_id);
      expect(iopub.map((m) => m.content.execution_state)).toEqual(['busy', 'idle']);
    }
    const sessions = new Set(client.iopubLog.map((m) => m.header.session));
    expect(sessions.size).toBe(1);
  });

  test('a message with a bad or missing signature is dropped and the kernel keeps serving', async () => {
    const forged = new MessageSigner('not-the-key');
    const badHeader = makeHeader('kernel_info_request', client.session);
    client.sendFrames('shell', encodeMessage({ identities: [], header: badHeader, parent_header: {}, metadata: {}, content: {}, buffers: [] }, forged));
    const unsignedHeader = makeHeader('kernel_info_request', client.session);
    const unsigned = encodeMessage({ identities: [], header: unsignedHeader, parent_header: {}, metadata: {}, content: {}, buffers: [] }, new MessageSigner(''));
    client.sendFrames('shell', unsigned);
    const reply = await client.request('kernel_info_request');
    expect(reply.content.status).toBe('ok');
    await expect(client.waitForReply(badHeader.msg_id, 300)).rejects.toThrow(/no reply/);
    await expect(client.waitForReply(unsignedHeader.msg_id, 300)).rejects.toThrow(/no reply/);
    expect(client.iopubOf(badHeader.msg_id)).toEqual([]);
    expect(client.stderrText.join('')).toMatch(/dropped a message on shell: bad signature[\s\S]*dropped a message on shell: missing signature/);
  });

  test('execute: execute_input, streams in order, execution_count grows only with store_history', async () => {
    const first = await client.execute('%%bash\necho one; echo two >&2; sleep 0.2; echo three');
    expect(first.reply.content.status).toBe('ok');
    const count = first.reply.content.execution_count as number;
    expect(first.iopub[0].content.execution_state).toBe('busy');
    expect(first.iopub[1].header.msg_type).toBe('execute_input');
    expect(first.iopub[1].content).toMatchObject({ code: '%%bash\necho one; echo two >&2; sleep 0.2; echo three', execution_count: count });
    expect(first.iopub[first.iopub.length - 1].content.execution_state).toBe('idle');
    expect(first.stdout).toBe('one\nthree\n');
    expect(first.stderr).toBe('two\n');
    const unstored = await client.execute('!true', { storeHistory: false });
    expect(unstored.reply.content.execution_count).toBe(count);
    const next = await client.execute('!true');
    expect(next.reply.content.execution_count).toBe(count + 1);
  });

  test('the heartbeat echoes', async () => {
    const heartbeat = new zmq.Request({ linger: 0 });
    heartbeat.connect(channelAddress(client.info, 'hb'));
    await heartbeat.send('ping');
    const [echo] = await heartbeat.receive();
    heartbeat.close();
    expect(echo.toString()).toBe('ping');
  });

  test('%%writefile writes, overwrites and appends in the notebook folder; quoting works', async () => {
    expect((await client.execute('%%writefile "my notes.txt"\nline 1')).stdout).toBe('Writing my notes.txt\n');
    expect((await client.execute('%%writefile "my notes.txt"\nline 2\n')).stdout).toBe('Overwriting my notes.txt\n');
    expect((await client.execute("%%writefile -a 'my notes.txt'\nline 3")).stdout).toBe('Appending to my notes.txt\n');
    expect((await client.execute('!cat "my notes.txt"')).stdout).toBe('line 2\nline 3\n');
    const usage = await client.execute('%%writefile\nx');
    expect(usage.reply.content.evalue).toMatch(/Usage: %%writefile \[-a\] PATH/);
  });

  test('a shell command ends when bash does: a background job that keeps the output open does not hold the cell', async () => {
    const started = Date.now();
    const outcome = await client.execute('!echo started; sleep 5 &');
    expect(outcome.stdout).toBe('started\n');
    expect(Date.now() - started).toBeLessThan(4000);
  });

  test('a failing cell gives an iopub error and an error reply', async () => {
    const failed = await client.execute('!echo before; exit 3');
    expect(failed.reply.content).toMatchObject({ status: 'error', ename: 'CalledProcessError', evalue: 'Command exited with code 3: echo before; exit 3' });
    expect(failed.outputs.map((m) => m.header.msg_type)).toEqual(['stream', 'error']);
    const unknown = await client.execute('%nosuchmagic');
    expect(unknown.reply.content.evalue).toMatch(/%lsmagic/);
    const noBoard = await client.execute('print(1)');
    expect(noBoard.reply.content.evalue).toMatch(/No board connected.*%connect/);
  });

  test('shell output is streamed while the command runs, and coalesced', async () => {
    const header = client.send('shell', 'execute_request', { code: '%%bash\necho first; sleep 2; echo second', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    await eventually(() => expect(client.iopubOf(header.msg_id).map((m) => m.content.text)).toContain('first\n'), 10000);
    expect(client.iopubOf(header.msg_id).some((m) => m.content.execution_state === 'idle')).toBe(false);
    await client.waitForIdle(header.msg_id);
    const many = await client.execute('%%bash\nfor i in $(seq 2000); do echo $i; done');
    const streams = many.outputs.filter((m) => m.header.msg_type === 'stream');
    expect(many.stdout.split('\n').length).toBe(2001);
    expect(streams.length).toBeLessThan(40); // one message per 50 ms, not one per line
  });

  test('cells queued behind a failing cell are aborted (stop_on_error), later ones run', async () => {
    const failing = client.execute('%%bash\nsleep 0.5; exit 1');
    const queued = [client.execute('!echo queued-1'), client.execute('!echo queued-2')];
    // requests on control meanwhile (a resource monitor, say) do not end the aborting
    const chatter = setInterval(() => client.send('control', 'kernel_info_request', {}), 5);
    expect((await failing).reply.content.status).toBe('error');
    await Promise.all(queued);
    clearInterval(chatter);
    for (const outcome of await Promise.all(queued)) {
      expect(outcome.reply.content).toEqual({ status: 'aborted' });
      expect(outcome.outputs).toEqual([]);
    }
    expect((await client.execute('!echo after')).stdout).toBe('after\n');
    const tolerant = client.execute('%%bash\nsleep 0.5; exit 1', { stopOnError: false });
    const next = client.execute('!echo runs');
    await tolerant;
    expect((await next).stdout).toBe('runs\n');
  });

  test('a cell mixes magics, ! lines and board code in order', async () => {
    const mixed = await client.execute('!echo a\n%loglevel\n!echo b');
    expect(mixed.stdout).toBe('a\nb\n');
    expect(mixed.outputs.some((m) => m.header.msg_type === 'execute_result')).toBe(false);
    const last = await client.execute('!echo a\n%loglevel');
    expect(last.outputs.find((m) => m.header.msg_type === 'execute_result')?.content.data).toEqual({ 'text/plain': 'warn' });
  });

  test('interrupt_request on control stops a running %%bash cell and its process group', async () => {
    const started = Date.now();
    const running = client.execute('%%bash\nsleep 31.25 & sleep 30; echo never', { timeoutMs: 20000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reply = await client.request('interrupt_request', {}, 'control');
    expect(reply.header.msg_type).toBe('interrupt_reply');
    const outcome = await running;
    expect(outcome.reply.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
    expect(Date.now() - started).toBeLessThan(10000);
    await eventually(() => expect(processesRunning('sleep\u000031.25')).toBe(0)); // the group's background job is gone too
    expect((await client.execute('!echo alive')).stdout).toBe('alive\n');
  });

  test('SIGINT stops a running cell and the kernel survives', async () => {
    const running = client.execute('%%bash\nsleep 30', { timeoutMs: 20000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    client.process!.kill('SIGINT');
    const outcome = await running;
    expect(outcome.reply.content.ename).toBe('KeyboardInterrupt');
    client.process!.kill('SIGINT'); // with no cell running: nothing happens
    expect((await client.request('kernel_info_request')).content.status).toBe('ok');
  });

  test('comm_open to an unknown target is closed at once; comm_info lists nothing', async () => {
    const header = client.send('shell', 'comm_open', { comm_id: 'c1', target_name: 'no.such.target', data: {} });
    const iopub = await client.waitForIdle(header.msg_id);
    expect(iopub.map((m) => m.header.msg_type)).toEqual(['status', 'comm_close', 'status']);
    expect(iopub[1].content).toMatchObject({ comm_id: 'c1' });
    const info = await client.request('comm_info_request', {});
    expect(info.content).toEqual({ status: 'ok', comms: {} });
  });

  test('1,000 requests in a burst are all answered, in order', async () => {
    const sent = Array.from({ length: 1000 }, (_, i) => client.send('shell', i % 2 ? 'kernel_info_request' : 'is_complete_request', { code: 'x = (' }));
    const replyOrder: number[] = [];
    const replies = await Promise.all(sent.map((header, i) => client.waitForReply(header.msg_id, 30000).then((reply) => (replyOrder.push(i), reply))));
    await Promise.all(sent.map((header) => client.waitForIdle(header.msg_id, 30000)));
    expect(replyOrder).toEqual(sent.map((_, i) => i));
    const sentIds = sent.map((h) => h.msg_id);
    const idleOrder = client.iopubLog.filter((m) => m.content.execution_state === 'idle').map((m) => (m.parent_header as { msg_id: string }).msg_id);
    expect(idleOrder.filter((id) => sentIds.includes(id))).toEqual(sentIds);
    expect(replies.every((reply, i) => (i % 2 ? reply.content.status === 'ok' : reply.content.status === 'incomplete'))).toBe(true);
  });

  test('is_complete over the wire', async () => {
    const answer = async (code: string) => (await client.request('is_complete_request', { code })).content;
    expect(await answer('x = 1')).toEqual({ status: 'complete' });
    expect(await answer('for i in range(3):')).toEqual({ status: 'incomplete', indent: '    ' });
    expect(await answer('x = )')).toEqual({ status: 'invalid' });
  });

  test('history: tail, range and search', async () => {
    await client.execute('!echo history-one');
    await client.execute('!echo history-two');
    await client.execute('!echo history-one');
    const tail = await client.request('history_request', { hist_access_type: 'tail', n: 2, output: false, raw: true });
    expect((tail.content.history as unknown[][]).map((row) => row[2])).toEqual(['!echo history-two', '!echo history-one']);
    const [session, line] = (tail.content.history as [number, number, string][])[0];
    const range = await client.request('history_request', { hist_access_type: 'range', session, start: line, stop: line + 1, output: false, raw: true });
    expect(range.content.history).toEqual([[session, line, '!echo history-two']]);
    const search = await client.request('history_request', { hist_access_type: 'search', pattern: '!echo history-o*', unique: true, output: false, raw: true });
    expect((search.content.history as unknown[][]).map((row) => row[2])).toEqual(['!echo history-one']);
  });

  test('complete and inspect magic names', async () => {
    const completion = await client.request('complete_request', { code: '%lsm', cursor_pos: 4 });
    expect(completion.content).toMatchObject({ status: 'ok', matches: ['%lsmagic'], cursor_start: 0, cursor_end: 4 });
    const inspection = await client.request('inspect_request', { code: '%%writefile x', cursor_pos: 3, detail_level: 0 });
    expect(inspection.content).toMatchObject({ status: 'ok', found: true });
    expect((inspection.content.data as Record<string, string>)['text/plain']).toMatch(/%%writefile \[-a\] PATH/);
  });

  test('name? shows help in the pager (execute_reply payload), like IPython', async () => {
    const help = await client.execute('%%writefile?');
    expect(help.reply.content.payload).toEqual([{ source: 'page', data: { 'text/plain': expect.stringMatching(/Usage: %%writefile \[-a\] PATH/) }, start: 0 }]);
    const unknown = await client.execute('machine.Pin?');
    expect(unknown.stdout).toBe('Object `machine.Pin` not found.\n');
  });

  test('complete host paths in ! lines and %%bash cells, relative to the notebook folder', async () => {
    await client.execute('!mkdir -p sub && touch sub/hello-file.txt');
    const inShellLine = await client.request('complete_request', { code: '!cat sub/hel', cursor_pos: 12 });
    expect(inShellLine.content).toMatchObject({ matches: ['sub/hello-file.txt'], cursor_start: 5, cursor_end: 12 });
    const inBash = await client.request('complete_request', { code: '%%bash\nls su', cursor_pos: 12 });
    expect(inBash.content).toMatchObject({ matches: ['sub/'], cursor_start: 10 });
    const boardCode = await client.request('complete_request', { code: 'import ma', cursor_pos: 9 });
    expect(boardCode.content).toMatchObject({ status: 'ok', matches: [] });
  });
});

describe('iot-kernel shutdown', () => {
  test('the kernel stops by itself when the process that started it dies', async () => {
    const client = await KernelTestClient.start({ command: '/bin/bash', argv: (file) => ['-c', `"${process.execPath}" "${KERNEL_CLI}" "${file}" & wait`] });
    const kernelCommandLine = `${KERNEL_CLI}\u0000${client.connectionFile}`;
    expect(processesRunning(kernelCommandLine)).toBe(1);
    client.process!.kill('SIGKILL');
    await eventually(() => expect(processesRunning(kernelCommandLine)).toBe(0), 10000);
    await client.close();
  });

  test('also starts as `iot-kernel kernel -f FILE`', async () => {
    const client = await KernelTestClient.start({ argv: (file) => [KERNEL_CLI, 'kernel', '-f', file] });
    expect((await client.shutdown()).exitCode).toBe(0);
  });

  test.each([false, true])('shutdown_request (restart %s) is answered, then the process exits 0', async (restart) => {
    const client = await KernelTestClient.start();
    const { reply, exitCode } = await client.shutdown(restart);
    expect(reply.header.msg_type).toBe('shutdown_reply');
    expect(reply.content).toEqual({ status: 'ok', restart });
    expect(exitCode).toBe(0);
  });
});
