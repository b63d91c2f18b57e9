import { readFileSync } from 'node:fs';
import type { SerialPortStream } from '@serialport/stream';
import { TransportListeners } from './listeners';
import { findPortUsers } from './port-users';
import { TransportGoneError, type Transport } from './transport';
import { DEFAULT_BAUD } from './url';

/** The port is held by another program; `pids` lists who, when it could be found. */
export class PortBusyError extends Error {
  constructor(
    readonly path: string,
    readonly pids: number[],
  ) {
    super(
      pids.length > 0
        ? `port busy: ${path} is used by PID ${pids.map((pid) => `${pid} (${pid === process.pid ? 'this process' : programName(pid)})`).join(', ')}; close that program (or its notebook kernel) and try again`
        : `port busy: ${path} is locked by another program; close it and try again`,
    );
    this.name = 'PortBusyError';
  }
}

/** A process's program name (/proc/PID/comm), or '?' when it cannot be read. */
function programName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
}

/**
 * A board on a serial port (USB CDC, USB-UART bridge, or a pty).
 *
 * Control lines: ESP boards with a USB-UART bridge wire DTR/RTS to EN/IO0 (RTS alone
 * resets, DTR alone selects the bootloader), and TinyUSB CDC boards drop output while
 * DTR is low. Linux raises both lines together on open, which resets nothing; right
 * after opening we assert both explicitly (the CP210x-safe order: never one without the
 * other), which keeps ESP boards running and TinyUSB boards talking. On close RTS drops
 * before DTR, so the board is never pulled into reset. The port is locked exclusively.
 */
export class SerialTransport extends TransportListeners implements Transport {
  readonly maxWriteSize = Infinity;
  private port: SerialPortStream | undefined;
  private closing = false;

  constructor(
    readonly url: string,
    readonly path: string,
    readonly baud: number = DEFAULT_BAUD,
  ) {
    super();
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.baud === 1200) throw new Error('refusing to open at 1200 baud: it sends many USB boards to their bootloader');
    // The lock only keeps out programs that lock too; a terminal (screen, minicom without
    // locking) or ModemManager would read half of what the board says.
    const others = findPortUsers(this.path).filter((pid) => pid !== process.pid);
    if (others.length > 0) throw new PortBusyError(this.path, others);
    const port = createSerialPort(this.path, this.baud);
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve()))).catch((error: Error) => {
      throw this.explainOpenError(error);
    });
    await setLines(port, { dtr: true, rts: true });
    this.closing = false;
    this.port = port;
    port.on('data', (chunk: Buffer) => this.emitData(chunk));
    port.on('close', () => {
      if (!this.closing) this.fireGone(`${this.path} went away (unplugged, or the board rebooted into a new port)`);
    });
    port.on('error', () => undefined); // a disconnect also arrives as 'close'
  }

  async write(data: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new TransportGoneError(this.url, `${this.path} is not open`);
    await new Promise<void>((resolve, reject) => {
      // a port closed meanwhile (unplug, close()) never drains: that ends the write too
      const onClose = () => reject(new TransportGoneError(this.url, `${this.path} closed while writing`));
      port.once('close', onClose);
      const settle = (error: Error | null | undefined) => {
        port.off('close', onClose);
        if (error) reject(new TransportGoneError(this.url, `writing to ${this.path} failed: ${error.message}`));
        else resolve();
      };
      port.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength), (error) => {
        if (error) return settle(error);
        port.drain(settle);
      });
    });
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return;
    this.closing = true;
    await setLines(port, { dtr: true, rts: false });
    await setLines(port, { dtr: false, rts: false });
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private fireGone(message: string): void {
    this.port = undefined;
    this.emitGone(new TransportGoneError(this.url, message));
  }

  private explainOpenError(error: Error): Error {
    if (/lock|Resource temporarily unavailable|busy/i.test(error.message)) return new PortBusyError(this.path, findPortUsers(this.path));
    if (/ENOENT|No such file/i.test(error.message)) return new Error(`no such port: ${this.path} (is the board plugged in? \`iot-device devices\` lists the ports)`);
    if (/EACCES|Permission denied/i.test(error.message)) {
      return new Error(`permission denied opening ${this.path}: add your user to the group that owns it (usually \`dialout\`) and log in again`);
    }
    return new Error(`cannot open ${this.path}: ${error.message}`);
  }
}

/**
 * A port stream with this platform's native binding: the two parts of the `serialport`
 * package this transport uses, required on first open rather than at import, since calls
 * on virtual boards need none of it. Requiring `serialport` itself would also load its ten
 * protocol parsers and a mock binding: ~10 ms more on every CLI call.
 */
function createSerialPort(path: string, baudRate: number): SerialPortStream {
  const { SerialPortStream } = require('@serialport/stream') as typeof import('@serialport/stream');
  const { autoDetect } = require('@serialport/bindings-cpp') as typeof import('@serialport/bindings-cpp');
  const binding = process.platform === 'win32' ? autoDetect() : endOfFileMeansUnplugged(autoDetect());
  return new SerialPortStream({ binding, path, baudRate, autoOpen: false, lock: true, hupcl: false });
}

type Binding = ReturnType<typeof import('@serialport/bindings-cpp').autoDetect>;
type PortBinding = Awaited<ReturnType<Binding['open']>>;

/**
 * An unplugged USB serial device is a hung-up tty: reads return 0 bytes (end of file) from
 * then on. The binding (13.0.0) takes 0 bytes for "nothing yet" and reads again at once,
 * forever: the port would never close, the board never be reported gone, a core spin.
 * Here end of file is a disconnect, which closes the port stream ('close', then `gone`).
 */
function endOfFileMeansUnplugged(binding: Binding): Binding {
  const { promisify } = require('node:util') as typeof import('node:util');
  const { read } = require('node:fs') as typeof import('node:fs');
  const { unixRead } = require('@serialport/bindings-cpp/dist/unix-read') as typeof import('@serialport/bindings-cpp/dist/unix-read');
  const readAsync = promisify(read);
  const readOrEnd = async (fd: number, buffer: Buffer, offset: number, length: number, position: number | null) => {
    const result = await readAsync(fd, buffer, offset, length, position);
    if (result.bytesRead === 0) throw Object.assign(new Error('end of file: the device went away'), { code: 'ENXIO' });
    return result;
  };
  return {
    ...binding,
    async open(options: Parameters<Binding['open']>[0]) {
      const port = (await binding.open(options as never)) as PortBinding;
      port.read = (buffer, offset, length) => unixRead({ binding: port as never, buffer, offset, length, fsReadAsync: readOrEnd as never });
      return port;
    },
  } as Binding;
}

/** Sets DTR/RTS; ptys have no modem lines and refuse, which is fine for them. */
async function setLines(port: SerialPortStream, lines: { dtr: boolean; rts: boolean }): Promise<void> {
  await new Promise<void>((resolve) => port.set(lines, () => resolve()));
}
