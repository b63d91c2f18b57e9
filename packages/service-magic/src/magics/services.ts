import type { ContainerInfo, Port } from 'dockerode';
import type { ServiceCellContext, ServiceMagic } from '../cell-context';
import { connectEngine } from '../engine/connect';
import { containerNameOf, isHostHelper, loadStack, serviceNameOf, type Stack } from '../engine/stack';

/** `%services`: the stack's services as a table. */
export const servicesMagic: ServiceMagic = {
  name: 'services',
  kind: 'line',
  group: 'Services',
  help: "List the stack's services: container, image, state, health, ports.",
  usage: '%services',
  async run(context: ServiceCellContext): Promise<void> {
    const engine = connectEngine();
    const rows = serviceRows(await loadStack(engine));
    context.display({ 'text/plain': plainTable(rows), 'text/html': htmlTable(rows) });
  },
};

const COLUMNS = ['service', 'container', 'image', 'state', 'health', 'ports'] as const;
type Row = Record<(typeof COLUMNS)[number], string>;

/** Containers with a service label (Compose, balena) or the host helper role; sorted by service. */
export function serviceRows(stack: Stack): Row[] {
  return stack.containers
    .map((c) => ({ c, service: isHostHelper(c) ? 'host' : serviceNameOf(c) }))
    .filter((entry): entry is { c: ContainerInfo; service: string } => Boolean(entry.service))
    .map(({ c, service }) => ({
      service,
      container: containerNameOf(c),
      image: c.Image,
      state: c.State,
      health: /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1] ?? '',
      ports: portsText(c.Ports),
    }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.container.localeCompare(b.container));
}

function portsText(ports: Port[]): string {
  const texts = ports.map((p) => (p.PublicPort ? `${p.IP === '::' ? '[::]' : p.IP ?? ''}:${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`));
  return [...new Set(texts)].join(', ');
}

function plainTable(rows: Row[]): string {
  if (rows.length === 0) return 'No services found (no container has a com.docker.compose.service or io.balena.service-name label).';
  const widths = COLUMNS.map((column) => Math.max(column.length, ...rows.map((row) => row[column].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(COLUMNS.map((c) => c.toUpperCase())), ...rows.map((row) => line(COLUMNS.map((c) => row[c])))].join('\n');
}

function htmlTable(rows: Row[]): string {
  const cells = (tag: string, values: readonly string[]) => values.map((v) => `<${tag}>${escapeHtml(v)}</${tag}>`).join('');
  const body = rows.map((row) => `<tr>${cells('td', COLUMNS.map((c) => row[c]))}</tr>`).join('');
  return `<table><thead><tr>${cells('th', COLUMNS)}</tr></thead><tbody>${body}</tbody></table>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
