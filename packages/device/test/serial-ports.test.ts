import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listSerialPorts } from '../src/discovery/serial-ports';
import { temporaryDir } from './helpers/pty-board';

// Port listing from a sysfs tree laid out as Linux does it (built in a temporary folder).
describe('listSerialPorts', () => {
  const tmp = temporaryDir('ide49-sysfs-');
  afterAll(() => tmp.remove());

  function usbDevice(name: string, attributes: Record<string, string>): string {
    const device = join(tmp.path, 'devices/pci0000:00/usb1', name);
    mkdirSync(join(device, `${name}:1.0`), { recursive: true });
    for (const [key, value] of Object.entries(attributes)) writeFileSync(join(device, key), value + '\n');
    return join(device, `${name}:1.0`);
  }

  function tty(name: string, deviceDir: string): void {
    mkdirSync(join(tmp.path, 'class/tty', name), { recursive: true });
    symlinkSync(deviceDir, join(tmp.path, 'class/tty', name, 'device'));
  }

  it('reads USB descriptors above the interface, skips plain UARTs and adds extra paths', () => {
    tty('ttyACM0', usbDevice('1-1', { idVendor: '2e8a', idProduct: '0005', manufacturer: 'MicroPython', product: 'Board in FS mode', serial: 'e6614c311b7e8a2f' }));
    tty('ttyUSB0', usbDevice('1-2', { idVendor: '10c4', idProduct: 'ea60', product: 'CP2102 USB to UART Bridge Controller' }));
    const platform = join(tmp.path, 'devices/platform/serial8250');
    mkdirSync(platform, { recursive: true });
    tty('ttyS0', platform);
    mkdirSync(join(tmp.path, 'class/tty/tty1'), { recursive: true }); // no device link: a console
    const ports = listSerialPorts([join(tmp.path, 'class/tty/tty1'), '/nonexistent/pty'], join(tmp.path, 'class/tty'));
    expect(ports).toEqual([
      { path: '/dev/ttyACM0', vid: '2e8a', pid: '0005', manufacturer: 'MicroPython', product: 'Board in FS mode', serialNumber: 'e6614c311b7e8a2f' },
      { path: '/dev/ttyUSB0', vid: '10c4', pid: 'ea60', manufacturer: undefined, product: 'CP2102 USB to UART Bridge Controller', serialNumber: undefined },
      { path: join(tmp.path, 'class/tty/tty1') },
    ]);
  });
});
