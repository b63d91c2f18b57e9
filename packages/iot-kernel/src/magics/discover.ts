import type { DiscoveredPort } from '@ide49/device';
import type { DeviceBoardSession } from '../board/device-board';
import { deviceLibrary } from '../board/device-library';
import { splitArgs } from './args';
import { CellError } from './magic';
import { escapeHtml } from './info';
import type { KernelMagic } from './services';

const usage = '%discover [-a] [-i]';

export const discoverMagic: KernelMagic = {
  name: 'discover',
  kind: 'line',
  group: 'Board',
  help: 'List MicroPython boards on serial ports and registered ones (-a: every serial port; -i: identify free boards, which stops their running code).',
  usage,
  async run(context, args) {
    const flags = splitArgs(args);
    const unknown = flags.filter((flag) => flag !== '-a' && flag !== '-i');
    if (unknown.length > 0) throw new CellError('UsageError', `Unknown option ${unknown.join(' ')}. Usage: ${usage}`);
    const ports = await deviceLibrary().discoverBoards({ all: flags.includes('-a'), interrupt: flags.includes('-i'), registry: context.services.boards.registry });
    const current = context.services.boards.current;
    const rows = ports.map((port) => rowOf(port, current));
    for (const device of context.services.boards.registry.list()) {
      if (ports.some((port) => port.url === device.url)) continue;
      const connected = device.url === current?.name ? current : undefined;
      rows.push([device.name, device.url, connected?.identity.uniqueId ?? device.uniqueId ?? '', connected?.identity.firmware ?? '', connected ? 'connected' : 'registered']);
    }
    if (rows.length === 0) {
      context.stdout('No boards found. Plug one in by USB, or use a virtual board: %connect virtual://demo (%discover -a lists every serial port).\n');
      return;
    }
    context.display(table(['name', 'URL', 'uid', 'firmware', 'state'], rows));
  },
};

/** The connected board is not probed (this kernel holds its port): its identity is known already. */
function rowOf(port: DiscoveredPort, current: DeviceBoardSession | undefined): string[] {
  const name = port.registeredName ?? [port.usbVendor, port.product].filter(Boolean).join(' ');
  if (port.url === current?.name) return [name, port.url, current.identity.uniqueId ?? '', current.identity.firmware, 'connected'];
  const state = port.state === 'busy' ? `busy (pid ${port.busyPids?.join(', ')})` : port.state === 'no-answer' ? `no answer: ${port.error ?? ''}` : port.state;
  return [name, port.url, port.identity?.uniqueId ?? port.serialNumber ?? '', port.identity?.firmware ?? '', state];
}

function table(header: string[], rows: string[][]): { 'text/plain': string; 'text/html': string } {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const plain = [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
  const cells = (tag: string, row: string[]) => `<tr>${row.map((cell) => `<${tag} style="text-align:left">${escapeHtml(cell)}</${tag}>`).join('')}</tr>`;
  const html = `<table>${cells('th', header)}${rows.map((row) => cells('td', row)).join('')}</table>`;
  return { 'text/plain': plain, 'text/html': html };
}
