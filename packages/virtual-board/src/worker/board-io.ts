/**
 * The board's end of the serial link, inside the worker: a receive queue fed from the
 * stdin ring, a transmit path into the output ring, and the interrupt-character check
 * a board's UART/USB receive handler performs (0x03 while code runs raises
 * KeyboardInterrupt instead of being queued).
 */
import { ByteRing } from '../byte-ring';
import { ACTIVITY_HEARTBEAT, ACTIVITY_WAITING } from './protocol';

const CTRL_C = 0x03;
const LF = 0x0a;
const CR = 0x0d;
/** While code runs, received bytes are moved aside (to spot Ctrl-C) up to this many. */
const RECEIVE_QUEUE_LIMIT = 64 * 1024;
const IDLE_WAIT_MS = 1000;

export interface InterruptTarget {
  /** True while Python code runs with Ctrl-C as its interrupt character. */
  interruptEnabled(): boolean;
  raiseKeyboardInterrupt(): void;
}

export class BoardIo {
  private received: number[] = [];
  private receivedHead = 0;
  private transmit = new Uint8Array(4096);
  private transmitLength = 0;
  private lastTransmitted = 0;

  constructor(
    private readonly stdin: ByteRing,
    private readonly output: ByteRing,
    private readonly activity: Int32Array,
    private readonly interrupts: InterruptTarget,
  ) {}

  /** Blocks in `wait`, telling the watchdog this board is waiting, not stuck. */
  private waiting(wait: () => void): void {
    Atomics.store(this.activity, ACTIVITY_WAITING, 1);
    try {
      wait();
    } finally {
      Atomics.store(this.activity, ACTIVITY_WAITING, 0);
    }
  }

  /** Blocks until a byte is received. */
  readByte(): number {
    for (;;) {
      const byte = this.tryReadByte();
      if (byte !== undefined) return byte;
      this.flush();
      this.waiting(() => this.stdin.waitForData(IDLE_WAIT_MS));
    }
  }

  /**
   * A program's read of stdin: blocks until something arrives, then takes up to `max`
   * bytes of what is there. Empty when a Ctrl-C interrupted the program instead.
   */
  readForProgram(max: number): Uint8Array {
    for (;;) {
      if (this.pollInterrupt()) return new Uint8Array(0);
      const queued = this.received.slice(this.receivedHead, this.receivedHead + max);
      this.receivedHead += queued.length;
      if (this.receivedHead === this.received.length) {
        this.received = [];
        this.receivedHead = 0;
      }
      const fresh = this.stdin.read(max - queued.length);
      if (queued.length + fresh.length > 0) return Uint8Array.from([...queued, ...fresh]);
      this.flush();
      this.waiting(() => this.stdin.waitForData(IDLE_WAIT_MS));
    }
  }

  hasInput(): boolean {
    this.pollInterrupt();
    return this.receivedHead < this.received.length || this.stdin.available() > 0;
  }

  private tryReadByte(): number | undefined {
    if (this.receivedHead < this.received.length) {
      const byte = this.received[this.receivedHead++];
      if (this.receivedHead === this.received.length) {
        this.received = [];
        this.receivedHead = 0;
      }
      return byte;
    }
    if (this.stdin.available() === 0) return undefined;
    return this.stdin.read(1)[0];
  }

  /**
   * Called from the interpreter's frequent calls into JS (output, clock reads, sleeps):
   * takes newly received bytes aside and turns a Ctrl-C into a KeyboardInterrupt.
   * Returns true when an interrupt was raised.
   */
  pollInterrupt(): boolean {
    Atomics.add(this.activity, ACTIVITY_HEARTBEAT, 1);
    if (this.stdin.available() === 0 || !this.interrupts.interruptEnabled()) return false;
    let interrupted = false;
    while (this.stdin.available() > 0 && this.received.length - this.receivedHead < RECEIVE_QUEUE_LIMIT) {
      for (const byte of this.stdin.read(RECEIVE_QUEUE_LIMIT)) {
        if (byte === CTRL_C) interrupted = true;
        else this.received.push(byte);
      }
    }
    if (interrupted) this.interrupts.raiseKeyboardInterrupt();
    return interrupted;
  }

  /** Sleeps up to `ms`, returning early when a Ctrl-C interrupts the running code. */
  sleep(ms: number): void {
    this.flush();
    const deadline = performance.now() + ms;
    for (;;) {
      if (this.pollInterrupt()) return;
      const left = deadline - performance.now();
      if (left <= 0) return;
      this.waiting(() => this.stdin.waitForNewData(left));
    }
  }

  /** Text output of the interpreter: a lone "\n" goes out as "\r\n", as a board's stdio does. */
  writeCooked(bytes: Uint8Array): void {
    this.reserve(bytes.length * 2);
    let last = this.lastTransmitted;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === LF && last !== CR) this.transmit[this.transmitLength++] = CR;
      this.transmit[this.transmitLength++] = byte;
      last = byte;
    }
    this.lastTransmitted = last;
  }

  /** Protocol bytes the board sends as they are. */
  writeRaw(bytes: ArrayLike<number>): void {
    this.reserve(bytes.length);
    for (let i = 0; i < bytes.length; i++) this.transmit[this.transmitLength++] = bytes[i];
    if (bytes.length > 0) this.lastTransmitted = bytes[bytes.length - 1];
  }

  private reserve(extra: number): void {
    if (this.transmitLength + extra <= this.transmit.length) return;
    const grown = new Uint8Array(Math.max(this.transmit.length * 2, this.transmitLength + extra));
    grown.set(this.transmit.subarray(0, this.transmitLength));
    this.transmit = grown;
  }

  writeText(text: string): void {
    this.writeRaw(Buffer.from(text, 'utf8'));
  }

  /** Pushes pending output into the link, waiting while the host side is full. */
  flush(): void {
    let offset = 0;
    while (offset < this.transmitLength) {
      offset += this.output.write(this.transmit.subarray(offset, this.transmitLength));
      if (offset < this.transmitLength) {
        this.waiting(() => this.output.waitForSpace(50));
        this.pollInterrupt();
      }
    }
    this.transmitLength = 0;
  }
}
