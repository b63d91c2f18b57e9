// The virtual board itself, without any client library: raw-REPL round trip of `pass`
// per link preset next to the link's floor (wire time of the bytes both ways + latency
// both ways), board→host and host→board throughput next to the preset's nominal rate,
// and how long soft and hard resets take until the prompt is back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LINK_PRESETS, VirtualBoard, type LinkPreset } from '../src';

const flashDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vb-bench-'));

class Console {
  private text = '';
  private wake: (() => void) | undefined;
  constructor(board: VirtualBoard) {
    board.onData((chunk) => {
      this.text += Buffer.from(chunk).toString('latin1');
      this.wake?.();
    });
  }
  async until(marker: string): Promise<void> {
    while (!this.text.includes(marker)) await new Promise<void>((resolve) => (this.wake = resolve));
    this.text = this.text.slice(this.text.indexOf(marker) + marker.length);
  }
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

async function measure(preset: LinkPreset): Promise<void> {
  const board = await VirtualBoard.start({ name: 'bench', flashDir, link: preset });
  const out = new Console(board);
  const send = (text: string) => board.write(Buffer.from(text, 'latin1'));
  await out.until('>>> ');
  await send('\x01');
  await out.until('>');

  const { baud, latencyMs } = LINK_PRESETS[preset];
  const bytesPerMs = baud / 10 / 1000;
  const wireMs = (bytes: number) => (baud ? bytes / bytesPerMs : 0);
  const roundTrips: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    await send('pass\x04');
    await out.until('OK\x04\x04>');
    roundTrips.push(performance.now() - start);
  }
  const floor = wireMs('pass\x04'.length + 'OK\x04\x04>'.length) + 2 * latencyMs;
  console.log(`${preset.padEnd(10)} raw exec round trip  ${median(roundTrips).toFixed(2)} ms   (link floor ${floor.toFixed(2)} ms)`);

  if (baud) {
    const total = preset === 'usb-cdc' ? 400_000 : 20_000;
    let start = performance.now();
    await send(`import sys\nfor i in range(${total / 100}): sys.stdout.write("x" * 100)\n\x04`);
    await out.until('\x04\x04>');
    const boardToHost = total / (performance.now() - start);
    await send(`n = 0\nwhile n < ${total}:\n n += len(sys.stdin.buffer.read(${total} - n))\n\x04`);
    await out.until('OK');
    start = performance.now();
    await board.write(new Uint8Array(total));
    await out.until('\x04\x04>');
    const hostToBoard = total / (performance.now() - start);
    console.log(`${preset.padEnd(10)} throughput           board→host ${boardToHost.toFixed(1)} KB/s, host→board ${hostToBoard.toFixed(1)} KB/s   (nominal ${bytesPerMs.toFixed(1)} KB/s)`);
  }

  const soft: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await send('\x04');
    await out.until('raw REPL; CTRL-B to exit\r\n>');
    soft.push(performance.now() - start);
  }
  const hard: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await board.hardReset();
    await out.until('>>> ');
    hard.push(performance.now() - start);
  }
  console.log(`${preset.padEnd(10)} soft reset ${median(soft).toFixed(1)} ms, hard reset ${median(hard).toFixed(0)} ms (until the prompt)`);
  await board.stop();
}

async function main(): Promise<void> {
  for (const preset of ['none', 'usb-cdc', 'uart115200'] as LinkPreset[]) await measure(preset);
  fs.rmSync(flashDir, { recursive: true, force: true });
}

void main();
