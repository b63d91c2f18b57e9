import { discoverBoards, type DiscoveredPort } from '../../discovery/discover';
import { parseFlags, UsageError, type CliCommand } from '../command';

export const devicesCommand: CliCommand = {
  usage: '[-a|--all] [-i|--identify]',
  summary: 'list boards: serial ports of MicroPython-capable boards (-a: every port) and registered devices; -i identifies free ones (stops their code)',
  async run(args, context) {
    const { flags, positional } = parseFlags(args, ['-a', '--all', '-i', '--identify']);
    if (positional.length > 0) throw new UsageError('devices takes no arguments');
    const ports = await discoverBoards({
      all: flags.has('-a') || flags.has('--all'),
      interrupt: flags.has('-i') || flags.has('--identify'),
      registry: context.registry,
    });
    const rows = ports.map((p) => [p.registeredName ?? '-', p.url, p.state, describe(p)]);
    for (const device of context.registry.list()) {
      if (!ports.some((p) => p.url === device.url)) rows.push([device.name, device.url, device.url.startsWith('virtual://') ? 'virtual' : 'absent', device.uniqueId ? `uid ${device.uniqueId}` : '']);
    }
    if (rows.length === 0) {
      context.stdout.write('no boards found (plug one in, use -a to see every serial port, or try -d virtual://demo)\n');
      return 0;
    }
    context.stdout.write(table([['NAME', 'URL', 'STATE', 'DETAILS'], ...rows]));
    return 0;
  },
};

function describe(port: DiscoveredPort): string {
  const parts: string[] = [];
  if (port.identity) parts.push(`${port.identity.firmware} (${port.identity.platform})`, port.identity.uniqueId ? `uid ${port.identity.uniqueId}` : '');
  if (port.busyPids) parts.push(`used by PID ${port.busyPids.join(', ')}`);
  if (port.error) parts.push(port.error);
  if (port.vid) parts.push(`${port.vid}:${port.pid} ${[port.manufacturer, port.product].filter(Boolean).join(' ')}`.trim());
  return parts.filter(Boolean).join('; ');
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd() + '\n').join('');
}
