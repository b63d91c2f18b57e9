#!/usr/bin/env node
/**
 * virtual-board --pty PATH [--name NAME] [--flash DIR] [--link uart115200|usb-cdc|none]
 *               [--baud N] [--latency-ms MS]
 * Runs a virtual board on a pseudo-terminal reachable at PATH; prints "ready PATH" once
 * the port can be opened; runs until SIGTERM or SIGINT (then removes PATH). SIGUSR1 hangs
 * the port up as an unplugged USB device does (its clients read end of file; needs root).
 */
import { parseArgs } from 'node:util';
import { defaultFlashDir } from './flash-dir';
import { LINK_PRESETS, resolveLinkSettings, type LinkPreset, type LinkSettings } from './link';
import { PtyPort } from './pty/pty-port';
import { VirtualBoard } from './virtual-board';

const USAGE = 'usage: virtual-board --pty PATH [--name NAME] [--flash DIR] [--link uart115200|usb-cdc|none] [--baud N] [--latency-ms MS]';

function linkFromArgs(values: { link?: string; baud?: string; 'latency-ms'?: string }): LinkSettings {
  const preset = values.link ?? 'none';
  if (!(preset in LINK_PRESETS)) throw new Error(`unknown --link "${preset}": use one of ${Object.keys(LINK_PRESETS).join(', ')}`);
  const link = { ...resolveLinkSettings(preset as LinkPreset) };
  if (values.baud !== undefined) link.baud = numberArg('--baud', values.baud);
  if (values['latency-ms'] !== undefined) link.latencyMs = numberArg('--latency-ms', values['latency-ms']);
  return link;
}

function numberArg(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} needs a number >= 0, got "${text}"`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      pty: { type: 'string' },
      name: { type: 'string', default: 'default' },
      flash: { type: 'string' },
      link: { type: 'string' },
      baud: { type: 'string' },
      'latency-ms': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || !values.pty) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const name = values.name!;
  const board = await VirtualBoard.start({ name, flashDir: values.flash ?? defaultFlashDir(name), link: linkFromArgs(values) });
  const port = PtyPort.open(board, values.pty);
  const shutDown = () => {
    port.close();
    void board.stop().then(() => process.exit(0));
  };
  process.on('SIGUSR1', () => {
    try {
      port.hangUp();
    } catch (error) {
      console.error(`virtual-board: ${(error as Error).message}`);
    }
  });
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
  console.log(`ready ${values.pty}`);
}

main().catch((error: Error) => {
  console.error(`virtual-board: ${error.message}`);
  process.exit(1);
});
