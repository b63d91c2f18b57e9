import { FRIENDLY_BANNER, RAW_BANNER, startInRawRepl, startTestBoard, type TestBoard } from './board-harness';

describe('the REPL, byte for byte as a board speaks it', () => {
  let t: TestBoard;
  afterEach(() => t?.stop());

  test('friendly REPL echoes, answers with \\r\\n line ends, and prints tracebacks', async () => {
    t = await startTestBoard();
    await t.send('print(1+1)\r');
    expect(await t.out.readUntil('>>> ')).toBe('print(1+1)\r\n2\r\n>>> ');
    await t.send('1/0\r');
    expect(await t.out.readUntil('>>> ')).toBe(
      '1/0\r\nTraceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nZeroDivisionError: divide by zero\r\n>>> ',
    );
  });

  test('raw REPL: OK, output, EOF, error, EOF, prompt', async () => {
    t = await startTestBoard();
    await t.send('\x01');
    expect(await t.out.readUntil('>')).toBe(RAW_BANNER);
    await t.send('print("a\\nb")\x04');
    expect(await t.out.readUntil('\x04>')).toBe('OKa\r\nb\r\n\x04\x04>');
    await t.send('raise ValueError(7)\x04');
    expect(await t.out.readUntil('\x04>')).toBe('OK\x04Traceback (most recent call last):\r\n  File "<stdin>", line 1, in <module>\r\nValueError: 7\r\n\x04>');
    await t.send('\x02');
    expect(await t.out.readUntil('>>> ')).toBe(FRIENDLY_BANNER);
  });

  test('raw-paste: window of 128, one extra credit at the start, end and compile acknowledgement', async () => {
    t = await startInRawRepl();
    await t.send('\x05A\x01');
    expect(await t.out.readUntil('\x00\x01')).toBe('R\x01\x80\x00\x01');
    await t.send('print(42)\x04');
    expect(await t.out.readUntil('\x04>')).toBe('\x0442\r\n\x04\x04>');
  });

  test('raw-paste: exactly one window of 128 bytes earns exactly one credit', async () => {
    t = await startInRawRepl();
    await t.send('\x05A\x01');
    await t.out.readUntil('R\x01\x80\x00\x01');
    const digits = 128 - 'x = '.length - '\nprint(len(str(x)))'.length;
    const code = `x = ${'1'.repeat(digits)}\nprint(len(str(x)))`;
    expect(code.length).toBe(128);
    await t.send(code);
    expect(await t.out.readUntil('\x01', 5000)).toBe('\x01');
    expect(await t.out.drain()).toBe('');
    await t.send('\x04');
    expect(await t.out.readUntil('\x04>')).toBe(`\x04${digits}\r\n\x04\x04>`);
  });

  test('raw-paste: several windows, credits paced by what the board has taken', async () => {
    t = await startInRawRepl();
    await t.send('\x05A\x01');
    await t.out.readUntil('R\x01\x80\x00\x01');
    const lines = Array.from({ length: 40 }, (_, i) => `v${i} = ${i} * 3`);
    const code = `${lines.join('\n')}\nprint(v39)`;
    // Send within the window the board grants, as a host must.
    let credit = 2 * 128;
    let sent = 0;
    let credits = '';
    while (sent < code.length) {
      if (credit === 0) {
        credits += await t.out.readUntil('\x01');
        credit += 128;
      }
      const piece = code.slice(sent, sent + credit);
      await t.send(piece);
      sent += piece.length;
      credit -= piece.length;
    }
    credits += await t.out.drain();
    expect(credits).toBe('\x01'.repeat(Math.floor(code.length / 128)));
    await t.send('\x04');
    expect(await t.out.readUntil('\x04>')).toBe('\x04117\r\n\x04\x04>');
  });

  test('raw-paste: Ctrl-C aborts, the board says so with \\x04 and a KeyboardInterrupt', async () => {
    t = await startInRawRepl();
    await t.send('\x05A\x01');
    await t.out.readUntil('R\x01\x80\x00\x01');
    await t.send('print(1)\x03');
    expect(await t.out.readUntil('\x04>')).toBe('\x04\x04KeyboardInterrupt: \r\n\x04>');
    expect(await t.exec('print(2)')).toEqual(['2\r\n', '']);
  });

  test('raw-paste: an unknown sub-command is refused with R\\x00', async () => {
    t = await startInRawRepl();
    await t.send('\x05B\x01');
    expect(await t.out.readUntil('>')).toBe('R\x00>');
  });

  test('paste mode echoes with === and runs on Ctrl-D', async () => {
    t = await startTestBoard();
    await t.send('\x05');
    expect(await t.out.readUntil('=== ')).toBe('\r\npaste mode; Ctrl-C to cancel, Ctrl-D to finish\r\n=== ');
    await t.send('if True:\r    print("pasted")\r\x04');
    expect(await t.out.readUntil('>>> ')).toBe('if True:\r\n===     print("pasted")\r\n=== \r\npasted\r\n>>> ');
  });

  test('soft reset from the friendly REPL: fresh state, boot.py and main.py run', async () => {
    t = await startTestBoard();
    await t.send('open("boot.py", "w").write("print(\'boot ran\')")\r');
    await t.out.readUntil('>>> ');
    await t.send('open("main.py", "w").write("print(\'main ran\')")\r');
    await t.out.readUntil('>>> ');
    await t.send('x = 5\r');
    await t.out.readUntil('x = 5\r\n>>> ');
    await t.send('\x04');
    expect(await t.out.readUntil('>>> ')).toBe(`\r\nMPY: soft reboot\r\nboot ran\r\nmain ran\r\n${FRIENDLY_BANNER}`);
    await t.send('x\r');
    expect(await t.out.readUntil('>>> ')).toContain("NameError: name 'x' isn't defined");
  });

  test('a main.py that never ends is interrupted by Ctrl-C, then the REPL comes', async () => {
    t = await startInRawRepl();
    await t.exec('open("main.py", "w").write("import time\\nwhile True:\\n    time.sleep_ms(50)\\n")');
    await t.send('\x02');
    await t.out.readUntil('>>> ');
    await t.send('\x04');
    await t.out.readUntil('MPY: soft reboot\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.send('\x03');
    expect(await t.out.readUntil('>>> ')).toMatch(/^Traceback \(most recent call last\):\r\n(.*\r\n)*KeyboardInterrupt: \r\n\r\nMicroPython v1\.27\.0/);
  });

  test('a main.py that turns Ctrl-C off (kbd_intr(-1)) reads \\x03 from stdin as data', async () => {
    t = await startInRawRepl();
    await t.exec('open("main.py", "w").write("import micropython, sys\\nmicropython.kbd_intr(-1)\\nprint(\\"got\\", sys.stdin.buffer.read(3))\\n")');
    await t.send('\x02');
    await t.out.readUntil('>>> ');
    await t.send('\x04');
    await t.out.readUntil('MPY: soft reboot\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await t.send('A\x03B');
    expect(await t.out.readUntil('>>> ')).toMatch(/^got b'A\\x03B'\r\n/);
  });

  test('soft reset from the raw REPL keeps raw mode and skips main.py', async () => {
    t = await startInRawRepl();
    await t.exec('open("boot.py", "w").write("print(\'boot ran\')")\nopen("main.py", "w").write("print(\'main ran\')")');
    await t.send('\x04');
    expect(await t.out.readUntil('>')).toBe('OK\r\nMPY: soft reboot\r\nboot ran\r\nraw REPL; CTRL-B to exit\r\n>');
  });

  test('machine.soft_reset() and SystemExit soft-reset like Ctrl-D', async () => {
    t = await startInRawRepl();
    await t.send('import machine\nmachine.soft_reset()\x04');
    expect(await t.out.readUntil('>')).toBe('OK\x04\x04MPY: soft reboot\r\nraw REPL; CTRL-B to exit\r\n>');
    await t.send('\x02');
    await t.out.readUntil('>>> ');
    await t.send('import machine; machine.soft_reset()\r');
    expect(await t.out.readUntil('>>> ')).toBe(`import machine; machine.soft_reset()\r\nMPY: soft reboot\r\n${FRIENDLY_BANNER}`);
  });

  test('Ctrl-C interrupts loops that print, sleep, read the clock or compute', async () => {
    t = await startInRawRepl();
    const loops = [
      'while True:\n print("x", end="")',
      'import time\nwhile True:\n time.sleep(1)',
      'import time\nwhile True:\n time.ticks_ms()',
      'x = 0\nwhile True:\n x += 1', // pure computation, but its calls pass through JS
      'def f(n):\n while True:\n  n = n * 3 % 7\nf(1)',
      'import sys\nb = sys.stdin.buffer.read(3)\nprint("read", b)', // a read raises, it does not return b''
    ];
    for (const loop of loops) {
      await t.send(`${loop}\x04`);
      await t.out.readUntil('OK');
      await new Promise((resolve) => setTimeout(resolve, 200));
      await t.send('\x03');
      const rest = await t.out.readUntil('\x04>', 3000);
      expect(rest).toMatch(/\x04Traceback \(most recent call last\):\r\n {2}File "<stdin>", line \d, in <module>\r\n(.*\r\n)?KeyboardInterrupt: \r\n\x04>$/);
    }
    expect(await t.exec('print("alive")')).toEqual(['alive\r\n', '']);
  });
});
