import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';

const CLI = path.join(__dirname, '..', 'src', 'cli.js');

describe('virtual-board --pty', () => {
  test('prints "ready PATH", links PATH to a raw pty, and removes it on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-cli-'));
    const port = path.join(dir, 'ttyV0');
    const child = spawn(process.execPath, [CLI, '--pty', port, '--flash', path.join(dir, 'flash'), '--link', 'usb-cdc']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const firstLine = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve));
    expect(firstLine).toBe(`ready ${port}`);
    expect(fs.readlinkSync(port)).toMatch(/^\/dev\/pts\/\d+$/);

    // Talk to the board through the slave side, as any serial client would.
    const fd = fs.openSync(port, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    fs.writeSync(fd, '\x03\x01print(40 + 2)\x04');
    let received = '';
    const deadline = Date.now() + 10000;
    while (!received.includes('\x04\x04>') && Date.now() < deadline) {
      const buffer = Buffer.alloc(4096);
      const n = await new Promise<number>((resolve, reject) => fs.read(fd, buffer, 0, buffer.length, null, (e, bytes) => (e ? reject(e) : resolve(bytes))));
      received += buffer.subarray(0, n).toString('latin1');
    }
    fs.closeSync(fd);
    expect(received).toContain('raw REPL; CTRL-B to exit\r\n>OK42\r\n\x04\x04>');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(port)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('explains its usage when --pty is missing', async () => {
    const child = spawn(process.execPath, [CLI]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('usage: virtual-board --pty PATH');
  });
});
