import { requireBoard } from '../board/device-board';
import type { KernelMagic } from './services';

export const infoMagic: KernelMagic = {
  name: 'info',
  kind: 'line',
  group: 'Board',
  help: "The board's firmware, platform, unique id, free memory and flash use.",
  usage: '%info',
  async run(context) {
    const board = requireBoard(context.services);
    const info = await board.run(context, (device) => device.info());
    const rows: [string, string][] = [
      ['board', board.name],
      ['firmware', info.firmware],
      ['platform', info.machine ? `${info.platform} (${info.machine})` : info.platform],
      ['unique id', info.uniqueId ?? 'unknown (no machine.unique_id)'],
      ['memory', `${kib(info.memFree)} free of ${kib(info.memFree + info.memAlloc)}`],
      ['flash', info.flashTotal === undefined ? 'no filesystem' : `${kib(info.flashTotal - (info.flashFree ?? 0))} used of ${kib(info.flashTotal)}`],
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    const plain = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
    const html = `<table>${rows.map(([label, value]) => `<tr><th style="text-align:left">${label}</th><td style="text-align:left">${escapeHtml(value)}</td></tr>`).join('')}</table>`;
    context.display({ 'text/plain': plain, 'text/html': html });
  },
};

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
