/**
 * USB vendor (and some product) ids of boards that run MicroPython and of the USB-UART
 * bridges such boards carry. A port matches when its vendor is listed with no product
 * list, or its vendor:product pair is listed.
 */
interface UsbVendor {
  vendor: string;
  name: string;
  /** Only these products (lower-case hex); undefined = every product of the vendor. */
  products?: string[];
}

const MICROPYTHON_USB_IDS: UsbVendor[] = [
  { vendor: '303a', name: 'Espressif (ESP32-S2/S3/C3/C6 native USB)' },
  { vendor: '2e8a', name: 'Raspberry Pi (RP2040/RP2350)' },
  { vendor: '239a', name: 'Adafruit' },
  { vendor: 'f055', name: 'MicroPython (pyboard, generic CDC)' },
  { vendor: '0483', name: 'STMicroelectronics (STM32 boards, ST-Link VCP)' },
  { vendor: '10c4', name: 'Silicon Labs CP210x bridge', products: ['ea60', 'ea61', 'ea63', 'ea70', 'ea71'] },
  { vendor: '1a86', name: 'WCH CH34x bridge' },
  { vendor: '0403', name: 'FTDI bridge' },
  { vendor: '04d8', name: 'Microchip' },
  { vendor: '2341', name: 'Arduino' },
  { vendor: '2a03', name: 'Arduino (.org)' },
  { vendor: '1915', name: 'Nordic Semiconductor' },
  { vendor: '1366', name: 'SEGGER J-Link (nRF boards)' },
  { vendor: '0d28', name: 'ARM mbed DAPLink (micro:bit)' },
  { vendor: '1b4f', name: 'SparkFun' },
  { vendor: '2886', name: 'Seeed Studio' },
  { vendor: '16c0', name: 'Van Ooijen / PJRC (Teensy)' },
  { vendor: '1209', name: 'pid.codes open hardware' },
  { vendor: '2b04', name: 'Particle' },
  { vendor: '1d50', name: 'OpenMoko (open hardware ids)' },
  { vendor: '067b', name: 'Prolific PL2303 bridge' },
];

/** The table entry's name when vid:pid belongs to a MicroPython-capable board or bridge. */
export function micropythonUsbVendor(vid: string | undefined, pid: string | undefined): string | undefined {
  if (!vid) return undefined;
  const entry = MICROPYTHON_USB_IDS.find((e) => e.vendor === vid.toLowerCase());
  if (!entry) return undefined;
  if (entry.products && !(pid && entry.products.includes(pid.toLowerCase()))) return undefined;
  return entry.name;
}
