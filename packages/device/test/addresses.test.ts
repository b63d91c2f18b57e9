import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micropythonUsbVendor } from '../src/discovery/usb-ids';
import { DeviceRegistry, defaultRegistryPath } from '../src/registry/devices';
import { parseDeviceUrl } from '../src/transport/url';

describe('parseDeviceUrl', () => {
  it('reads serial URLs, bare paths and virtual names', () => {
    expect(parseDeviceUrl('serial:///dev/ttyACM0')).toEqual({ kind: 'serial', path: '/dev/ttyACM0', baud: 115200, url: 'serial:///dev/ttyACM0' });
    expect(parseDeviceUrl('/dev/ttyUSB1?baud=460800')).toEqual({ kind: 'serial', path: '/dev/ttyUSB1', baud: 460800, url: 'serial:///dev/ttyUSB1?baud=460800' });
    expect(parseDeviceUrl('virtual://demo')).toEqual({ kind: 'virtual', name: 'demo', url: 'virtual://demo' });
    expect(parseDeviceUrl('virtual://demo?link=usb-cdc')).toEqual({ kind: 'virtual', name: 'demo', url: 'virtual://demo?link=usb-cdc', link: 'usb-cdc' });
    expect(() => parseDeviceUrl('virtual://demo?link=carrier-pigeon')).toThrow(/unknown link "carrier-pigeon"/);
  });

  it('refuses what it cannot open, saying what works', () => {
    expect(() => parseDeviceUrl('ws://192.168.4.1:8266')).toThrow(/WebREPL .*not supported yet/);
    expect(() => parseDeviceUrl('ble://AA:BB')).toThrow(/Bluetooth .*not supported yet/);
    expect(() => parseDeviceUrl('/dev/ttyACM0?baud=1200')).toThrow(/1200 baud/);
    expect(() => parseDeviceUrl('ttyACM0')).toThrow(/serial:\/\/\/dev\/ttyACM0/);
    expect(() => parseDeviceUrl('serial://dev/ttyACM0')).toThrow(/absolute device path/);
    expect(() => parseDeviceUrl('virtual://a b')).toThrow(/virtual board names/);
  });
});

describe('micropythonUsbVendor', () => {
  it('knows boards and bridges, and CP210x only by product', () => {
    expect(micropythonUsbVendor('2e8a', '0005')).toMatch(/Raspberry Pi/);
    expect(micropythonUsbVendor('303A', '1001')).toMatch(/Espressif/);
    expect(micropythonUsbVendor('10c4', 'ea60')).toMatch(/CP210x/);
    expect(micropythonUsbVendor('10c4', '8a2a')).toBeUndefined();
    expect(micropythonUsbVendor('046d', 'c52b')).toBeUndefined();
    expect(micropythonUsbVendor(undefined, undefined)).toBeUndefined();
  });
});

describe('DeviceRegistry', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'ide49-registry-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in the Jupyter config folder', () => {
    expect(defaultRegistryPath({ JUPYTER_CONFIG_DIR: '/cfg' })).toBe('/cfg/ide49/devices.json');
    expect(defaultRegistryPath({ HOME: '/home/u' })).toMatch(/\.jupyter\/ide49\/devices\.json$/);
  });

  it('round-trips names, URLs and unique ids through the file', () => {
    const path = join(dir, 'ide49', 'devices.json');
    const registry = new DeviceRegistry(path);
    expect(registry.list()).toEqual([]);
    registry.register({ name: 'pico', url: '/dev/ttyACM0', uniqueId: 'e660583883' });
    registry.register({ name: 'sim', url: 'virtual://sim' });
    registry.register({ name: 'pico', url: 'serial:///dev/ttyACM1', uniqueId: 'e660583883' });
    const again = new DeviceRegistry(path);
    expect(again.list()).toEqual([
      { name: 'pico', url: 'serial:///dev/ttyACM1', uniqueId: 'e660583883' },
      { name: 'sim', url: 'virtual://sim' },
    ]);
    expect(JSON.parse(readFileSync(path, 'utf8')).version).toBe(1);
    expect(again.resolve('pico')).toBe('serial:///dev/ttyACM1');
    expect(again.resolve('virtual://other')).toBe('virtual://other');
    expect(() => again.resolve('nope')).toThrow(/registered names are pico, sim/);
    expect(again.unregister('pico')).toBe(true);
    expect(again.unregister('pico')).toBe(false);
    expect(again.list().map((d) => d.name)).toEqual(['sim']);
  });

  it('a broken file names itself; URLs work without it; entries edited into nonsense are skipped', () => {
    const path = join(dir, 'devices.json');
    writeFileSync(path, '{"version": 1, "devices": [');
    const broken = new DeviceRegistry(path);
    expect(() => broken.list()).toThrow(new RegExp(`the device registry ${path} is not valid JSON.*delete it and register the boards again`));
    expect(broken.resolve('serial:///dev/ttyACM0')).toBe('serial:///dev/ttyACM0');
    expect(broken.resolve('/dev/ttyUSB0')).toBe('serial:///dev/ttyUSB0');
    writeFileSync(path, JSON.stringify({ version: 1, devices: [{ name: 'odd', url: 'carrier-pigeon://x' }, { name: 'ok', url: 'virtual://ok' }, { url: 'virtual://nameless' }] }));
    const registry = new DeviceRegistry(path);
    expect(registry.list()).toEqual([{ name: 'ok', url: 'virtual://ok' }]);
    registry.register({ name: 'new', url: 'virtual://new' }); // saving keeps what list() skipped
    expect(JSON.parse(readFileSync(path, 'utf8')).devices.map((d: { name?: string }) => d.name)).toEqual(expect.arrayContaining(['odd', 'ok', 'new', undefined]));
  });
});
