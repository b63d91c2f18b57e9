/**
 * File transfer figures on the in-process virtual board behind its modelled links:
 * 64 KiB incompressible and 64 KiB Python source written and read back, as KiB/s and as
 * a share of the link's capacity (baud/10 bytes/s), and the re-sync of an unchanged
 * 50-file tree (round trips and ms). Baselines from the same run: base64 in 4 KiB
 * raw-paste execs (the best simple client) and one hash exec per file.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BoardFiles, sha256Hex, syncFolder } from '../src/files';
import { RawRepl } from '../src/repl/raw-repl';
import type { CodeRunner } from '../src/repl/types';
import { VirtualTransport } from '../src/transport/virtual';

type Preset = 'uart115200' | 'usb-cdc';
const CAPACITY: Record<Preset, number> = { uart115200: 11_520, 'usb-cdc': 800_000 };
const KIB = 1024;

class CountingRunner implements CodeRunner {
  execs = 0;
  constructor(private readonly repl: RawRepl) {}
  exec(...args: Parameters<RawRepl['exec']>) {
    this.execs++;
    return this.repl.exec(...args);
  }
  eval<T>(...args: Parameters<RawRepl['eval']>) {
    return this.repl.eval<T>(...args);
  }
}

/** Python source with varied names, numbers and comments (deflate makes it about a third, as real code). */
function pythonSource(size: number, seed = 1): Buffer {
  let state = seed;
  const next = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31), state % n);
  const words = ['sensor', 'value', 'reading', 'buffer', 'timeout', 'retry', 'status', 'pin', 'count', 'event', 'config', 'offset', 'window', 'sample'];
  const word = () => words[next(words.length)] + (next(3) ? '' : `_${next(100)}`);
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const block = [
      `def ${word()}_${i}(${word()}, ${word()}=${next(1000)}):`,
      `    # ${word()} ${word()} ${word()} ${next(99999)}`,
      `    ${word()} = ${word()}.get("${word()}", ${next(65536)}) * ${next(97)}`,
      `    if ${word()} > ${next(4096)}:`,
      `        return {"${word()}": ${word()}, "${word()}": ${next(255)}}`,
      `    return None`,
      '',
    ];
    lines.push(...block);
    length += block.join('\n').length + 1;
  }
  return Buffer.from(lines.join('\n')).subarray(0, size);
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

function figure(label: string, bytes: number, seconds: number, preset: Preset): string {
  const rate = bytes / seconds;
  return `${label.padEnd(56)} ${(rate / KIB).toFixed(1).padStart(8)} KiB/s ${((100 * rate) / CAPACITY[preset]).toFixed(0).padStart(4)} % of link`;
}

/** The baseline writer: base64 chunks decoded by ubinascii, 4 KiB per exec. */
async function base64Write(runner: CodeRunner, boardPath: string, data: Buffer): Promise<void> {
  await runner.exec(`import ubinascii\n_f=open(${JSON.stringify(boardPath)},'wb')`);
  for (let offset = 0; offset < data.length; offset += 4096) {
    await runner.exec(`_f.write(ubinascii.a2b_base64('${data.subarray(offset, offset + 4096).toString('base64')}'))`);
  }
  await runner.exec('_f.close()');
}

async function benchPreset(preset: Preset, work: string): Promise<void> {
  const transport = new VirtualTransport(`virtual://bench-${preset}`, `bench-${preset}`, { flashDir: mkdtempSync(path.join(work, 'flash-')), link: preset });
  await transport.open();
  const repl = new RawRepl(transport);
  const runner = new CountingRunner(repl);
  try {
    const paste = new BoardFiles(runner);
    const streaming = new BoardFiles(runner, { streamLink: transport });
    await paste.info(); // helpers installed, not timed
    await streaming.info();
    console.log(`\n${preset} (capacity ${(CAPACITY[preset] / KIB).toFixed(1)} KiB/s)`);
    const samples = { 'random 64 KiB': randomBytes(64 * KIB), 'Python source 64 KiB': pythonSource(64 * KIB) };
    for (const [name, data] of Object.entries(samples)) {
      const file = `/bench-${name.split(' ')[0]}.bin`;
      console.log(figure(`write ${name} (raw-paste, 8-bit literals)`, data.length, await timed(() => paste.write([{ path: file, data }])), preset));
      console.log(figure(`write ${name} (stdin stream)`, data.length, await timed(() => streaming.write([{ path: file, data }])), preset));
      let back: Buffer = Buffer.alloc(0);
      console.log(figure(`read ${name}`, data.length, await timed(async () => (back = await paste.read(file))), preset));
      if (!back.equals(data)) throw new Error(`read back of ${name} differs`);
      console.log(figure(`  baseline: write ${name} as base64`, data.length, await timed(() => base64Write(runner, file, data)), preset));
    }
    await benchResync(paste, runner, work, preset);
  } finally {
    await transport.close();
  }
}

async function benchResync(files: BoardFiles, runner: CountingRunner, work: string, preset: Preset): Promise<void> {
  const local = mkdtempSync(path.join(work, 'tree-'));
  for (let i = 0; i < 50; i++) {
    mkdirSync(path.join(local, `pkg${i % 5}`), { recursive: true });
    writeFileSync(path.join(local, `pkg${i % 5}`, `module${i}.py`), pythonSource(300 + 40 * i, i));
  }
  await syncFolder(files, local, '/tree');
  const before = runner.execs;
  const seconds = await timed(() => syncFolder(files, local, '/tree'));
  console.log(`re-sync of an unchanged 50-file tree: ${runner.execs - before} round trip(s), ${(seconds * 1000).toFixed(0)} ms`);
  const baselineStart = runner.execs;
  const baseline = await timed(async () => {
    for (let i = 0; i < 50; i++) {
      const rel = `pkg${i % 5}/module${i}.py`;
      await runner.exec(`import hashlib\n_h=hashlib.sha256()\n_h.update(open('/tree/${rel}','rb').read())\nprint(_h.digest().hex()=='${sha256Hex(pythonSource(300 + 40 * i, i))}')`);
    }
  });
  console.log(`  baseline: one hash exec per file: ${runner.execs - baselineStart} round trips, ${(baseline * 1000).toFixed(0)} ms`);
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'ide49-files-bench-'));
  try {
    for (const preset of ['uart115200', 'usb-cdc'] as const) await benchPreset(preset, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
