import type { DeviceRegistry } from '@ide49/device';
import type { Logger } from '../log';
import { CellError } from '../magics/magic';
import { DeviceBoardSession } from './device-board';
import { deviceLibrary } from './device-library';

export interface BoardTarget {
  /** A registered name, a device URL (serial:///dev/..., virtual://NAME) or a /dev path. */
  target: string;
  baud?: number;
}

/** The URL `target` stands for (a registered name is looked up), with `baud` applied to serial URLs. */
export function resolveTarget({ target, baud }: BoardTarget, registry: DeviceRegistry): string {
  const device = deviceLibrary();
  let url: string;
  try {
    url = registry.resolve(target);
    if (baud !== undefined) {
      const address = device.parseDeviceUrl(url);
      if (address.kind !== 'serial') throw new Error(`--baud applies to serial boards only, not to ${url}`);
      url = device.parseDeviceUrl(`${address.path}?baud=${baud}`).url;
    }
  } catch (error) {
    throw new CellError('UsageError', (error as Error).message);
  }
  return url;
}

/** Opens the board at `url` and reads its identity; the error says what to check when it does not answer. */
export async function openBoard(url: string, registry: DeviceRegistry, log: Logger): Promise<DeviceBoardSession> {
  const { DeviceSession } = deviceLibrary();
  let device;
  try {
    device = await DeviceSession.connect(url);
  } catch (error) {
    throw new CellError('ConnectionError', `cannot open ${url}: ${(error as Error).message}`);
  }
  try {
    return new DeviceBoardSession(device, await device.identify(), registry, log);
  } catch (error) {
    await device.close().catch(() => undefined);
    throw new CellError('ConnectionError', `${url} opened, but it did not answer as a MicroPython board: ${(error as Error).message}`);
  }
}

/** One line about a connected board: where, firmware, platform, unique id. */
export function describeBoard(session: DeviceBoardSession, label?: string): string {
  const { firmware, platform, uniqueId, machine } = session.identity;
  const where = label && label !== session.name ? `${label} (${session.name})` : session.name;
  const board = machine ? `${platform} (${machine})` : platform;
  const named = firmware.startsWith('MicroPython') ? firmware : `MicroPython ${firmware}`;
  return `${where}: ${named}, ${board}, uid ${uniqueId ?? 'unknown'}`;
}
