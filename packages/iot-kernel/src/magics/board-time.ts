import { requireBoard } from '../board/device-board';
import type { KernelMagic } from './services';

export const synctimeMagic: KernelMagic = {
  name: 'synctime',
  kind: 'line',
  group: 'Board',
  help: "Set the board's clock (RTC) to this computer's local time.",
  usage: '%synctime',
  async run(context) {
    const now = new Date();
    await requireBoard(context.services).run(context, (device) => device.synctime(now));
    context.stdout(`Board clock set to ${formatLocal(now)}\n`);
  },
};

export const gettimeMagic: KernelMagic = {
  name: 'gettime',
  kind: 'line',
  group: 'Board',
  help: "The board's clock (time.localtime()) and how far it is from this computer's.",
  usage: '%gettime',
  async run(context) {
    const boardTime = await requireBoard(context.services).run(context, (device) => device.gettime());
    const offsetSeconds = Math.round((boardTime.getTime() - Date.now()) / 1000);
    const offset = offsetSeconds === 0 ? 'same as this computer' : `${Math.abs(offsetSeconds)} s ${offsetSeconds > 0 ? 'ahead of' : 'behind'} this computer`;
    context.stdout(`${formatLocal(boardTime)} (${offset})\n`);
  },
};

/** 2026-11-26 14:05:09, in the host's time zone. */
function formatLocal(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
