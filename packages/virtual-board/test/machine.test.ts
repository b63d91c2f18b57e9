import { startInRawRepl, startTestBoard, type TestBoard } from './board-harness';

describe('machine, time and stdin of the virtual board', () => {
  let t: TestBoard;
  afterEach(() => t?.stop());

  test('machine.unique_id() is stable per board name and differs between names', async () => {
    t = await startInRawRepl({ name: 'alpha' });
    const [first] = await t.exec('import machine\nprint(machine.unique_id().hex(), len(machine.unique_id()))');
    await t.stop();
    t = await startInRawRepl({ name: 'alpha' });
    expect(await t.exec('import machine\nprint(machine.unique_id().hex(), len(machine.unique_id()))')).toEqual([first, '']);
    await t.stop();
    t = await startInRawRepl({ name: 'beta' });
    const [other] = await t.exec('import machine\nprint(machine.unique_id().hex(), len(machine.unique_id()))');
    expect(other).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{16} 8\r\n$/);
  });

  test('machine.freq, Pin and Timer work without hardware', async () => {
    t = await startInRawRepl();
    const [out, err] = await t.exec(
      [
        'import machine, time',
        'print(machine.freq())',
        'p = machine.Pin(2, machine.Pin.OUT)',
        'p.on(); a = p.value(); p.toggle(); b = p.value(); p(1)',
        'print(a, b, p())',
        'ticks = []',
        'tim = machine.Timer(-1)',
        'tim.init(period=20, mode=machine.Timer.PERIODIC, callback=lambda t: ticks.append(1))',
        'time.sleep_ms(110)',
        'tim.deinit()',
        'print(3 <= len(ticks) <= 6)',
      ].join('\n'),
    );
    expect(err).toBe('');
    expect(out).toBe('160000000\r\n1 0 1\r\nTrue\r\n');
  });

  test('what the board printed before machine.reset() all arrives, before the boot banner', async () => {
    t = await startInRawRepl({ link: 'usb-cdc' });
    await t.send('print("A" * 40000 + "END")\nimport machine\nmachine.reset()\x04');
    const before = await t.out.readUntil('>>> ');
    expect(before).toMatch(/^OKA{40000}END\r\n[\s\S]*MicroPython v1\.27\.0[\s\S]*>>> $/);
  });

  test('machine.RTC sets the clock behind time.time(), and it survives machine.reset()', async () => {
    t = await startInRawRepl();
    const [out] = await t.exec('import machine, time\nr = machine.RTC()\nr.datetime((2030, 1, 2, 0, 3, 4, 5, 0))\nprint(r.datetime()[:7], time.localtime()[:5])');
    expect(out).toBe('(2030, 1, 2, 2, 3, 4, 5) (2030, 1, 2, 3, 4)\r\n');
    await t.send('machine.reset()\x04');
    await t.out.readUntil('>>> ');
    await t.send('\x01');
    await t.out.readUntil('>');
    expect(await t.exec('import machine\nprint(machine.RTC().datetime()[0], machine.reset_cause() == machine.HARD_RESET)')).toEqual(['2030 True\r\n', '']);
  });

  test('time.sleep waits without spinning a core and keeps time', async () => {
    t = await startInRawRepl();
    const cpuBefore = process.cpuUsage();
    const [out] = await t.exec('import time\nt = time.ticks_ms()\ntime.sleep(0.5)\ntime.sleep_ms(100)\nprint(time.ticks_diff(time.ticks_ms(), t))');
    const cpuMs = (process.cpuUsage(cpuBefore).user + process.cpuUsage(cpuBefore).system) / 1000;
    const elapsed = Number(out.trim());
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(1500);
    // A busy-wait would burn about as much CPU as it slept.
    expect(cpuMs).toBeLessThan(400);
  });

  test('time.ticks_us counts microseconds', async () => {
    t = await startInRawRepl();
    const [out, err] = await t.exec('import time\nt = time.ticks_us()\nd = [time.ticks_diff(time.ticks_us(), t) for i in range(3)]\nprint(0 <= d[0] <= d[1] <= d[2], any(x % 1000 for x in d))');
    expect([out, err]).toEqual(['True True\r\n', '']);
  });

  test('input() reads a line from the link with echo, and sys.stdin.read(n) reads bytes', async () => {
    t = await startTestBoard();
    await t.send('name = input("name? ")\r');
    await t.out.readUntil('\r\nname? ');
    await t.send('ab\x7fc\r');
    expect(await t.out.readUntil('>>> ')).toBe('ab\x08 \x08c\r\n>>> ');
    await t.send('name\r');
    expect(await t.out.readUntil('>>> ')).toBe("name\r\n'ac'\r\n>>> ");
    await t.send('import sys; data = sys.stdin.read(5)\r');
    await t.out.readUntil('\r\n');
    await t.send('12345');
    await t.out.readUntil('>>> ');
    await t.send('data\r');
    expect(await t.out.readUntil('>>> ')).toBe("data\r\n'12345'\r\n>>> ");
  });

  test('binascii is the C module, as on boards (accepts str, fast)', async () => {
    t = await startInRawRepl();
    expect(await t.exec('import binascii\nprint(binascii.a2b_base64("QUJD"), binascii.hexlify(b"\\x01\\xff"))')).toEqual(["b'ABC' b'01ff'\r\n", '']);
  });

  test('select.poll on stdin reports input only when some is waiting', async () => {
    t = await startInRawRepl();
    await t.send('import select, sys\np = select.poll()\np.register(sys.stdin, select.POLLIN)\nprint(p.poll(0))\nprint(len(p.poll(5000)), sys.stdin.read(1))\x04');
    expect(await t.out.readUntil('[]\r\n')).toBe('OK[]\r\n');
    await t.send('z');
    expect(await t.out.readUntil('\x04>')).toBe('1 z\r\n\x04\x04>');
  });

  test('Ctrl-C interrupts input()', async () => {
    t = await startTestBoard();
    await t.send('input()\r');
    await t.out.readUntil('input()\r\n');
    await t.send('\x03');
    expect(await t.out.readUntil('>>> ')).toMatch(/KeyboardInterrupt: \r\n>>> $/);
  });
});
