// Serial ports (and pseudo-terminals) as ByteSource and ByteSink, over the `serialport` package.
//
// The only file that imports serialport. Bytes are stamped with the injected Clock as they
// arrive. Failures never escape as 'error' events: a lost device (unplugged USB adapter, a pty
// whose other end went away) reaches onClose handlers as a SerialDisconnectedError, and write
// failures are logged and reported the same way.
import { read as fsRead } from 'node:fs';
import { promisify } from 'node:util';
import { SerialPort } from 'serialport';
import type { StampNs } from '../msg/index.ts';
import type { ByteSink, ByteSource, Clock } from '../ports/index.ts';
import type { Logger } from '../runtime/log.ts';

export interface SerialOptions {
  /** Line speed in bits per second. 4800 is the NMEA 0183 default (IEC 61162-1); VectorNav sensors ship at 115200. */
  baudRate: number;
}

export const DEFAULT_SERIAL_OPTIONS: SerialOptions = { baudRate: 4800 };

/** The port went away while open (device unplugged, other end of a pty closed, read or write failed). */
export class SerialDisconnectedError extends Error {
  override readonly name = 'SerialDisconnectedError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`serial port ${path} disconnected: ${reason}`);
  }
}

/** The port could not be opened (no such device, permission, busy). */
export class SerialOpenError extends Error {
  override readonly name = 'SerialOpenError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot open serial port ${path}: ${reason}`);
  }
}

/** An open port with its lifecycle: close handlers fire once, with an error only when the port was lost. */
class PortLink {
  private readonly closeHandlers: ((error?: Error) => void)[] = [];
  private closed = false;
  private closing = false;

  constructor(
    readonly port: SerialPort,
    readonly path: string,
    private readonly log: Logger,
  ) {
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      this.finish(err && !this.closing ? new SerialDisconnectedError(path, err.message) : undefined);
    });
    // A zero-byte read (end of stream) is also the other end going away.
    port.on('end', () => {
      if (!this.closing) this.lost('end of stream');
    });
    port.on('error', (err: Error) => {
      this.log.warn('serial port error', { path, error: err.message });
      if (!this.closing) this.lost(err.message);
    });
  }

  onClose(handler: (error?: Error) => void): void {
    this.closeHandlers.push(handler);
  }

  lost(reason: string): void {
    if (this.closed) return;
    if (this.port.isOpen) {
      this.closing = true;
      this.port.close(() => this.finish(new SerialDisconnectedError(this.path, reason)));
    } else this.finish(new SerialDisconnectedError(this.path, reason));
  }

  close(): Promise<void> {
    if (this.closed || !this.port.isOpen) {
      this.finish(undefined);
      return Promise.resolve();
    }
    this.closing = true;
    return new Promise((resolve) => {
      this.port.close(() => {
        this.finish(undefined);
        resolve();
      });
    });
  }

  private finish(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    if (error) this.log.warn('serial port lost', { path: this.path, error: error.message });
    for (const h of this.closeHandlers) {
      try {
        h(error);
      } catch (e) {
        this.log.error('serial close handler failed', { path: this.path, error: e });
      }
    }
  }
}

/** The parts of serialport's unix binding that the hang-up guard needs. */
interface UnixBindingPort {
  fd: number | null;
  isOpen: boolean;
  poller?: { once(event: 'readable', cb: (err: Error | null) => void): void };
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }>;
}

const readAsync = promisify(fsRead);

/**
 * serialport's unix binding retries a read that returns 0 bytes forever (bindings-cpp
 * unix-read.js), so a tty whose other end hung up (a pty whose master closed, a modem line
 * dropping carrier) spins the event loop and is never reported. A non-blocking tty read
 * returns EAGAIN when there is simply no data, so 0 bytes means end of file: this read treats
 * it as a disconnect, which the stream turns into its DisconnectedError close.
 */
function guardAgainstHangup(port: SerialPort): void {
  const inner = port.port as unknown as UnixBindingPort | undefined;
  if (!inner || typeof inner.fd !== 'number' || !inner.poller) return; // not the unix binding
  inner.read = async (buffer, offset, length) => {
    for (;;) {
      if (!inner.isOpen || inner.fd === null) throw Object.assign(new Error('port is not open'), { canceled: true });
      try {
        const { bytesRead } = await readAsync(inner.fd, buffer, offset, length, null);
        if (bytesRead === 0) throw Object.assign(new Error('end of file: the other end hung up'), { disconnect: true });
        return { bytesRead, buffer };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') throw err;
        await new Promise<void>((resolve, reject) => inner.poller!.once('readable', (e) => (e ? reject(e) : resolve())));
      }
    }
  };
}

function openPort(path: string, options: SerialOptions): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    let port: SerialPort;
    try {
      port = new SerialPort({ path, baudRate: options.baudRate, autoOpen: false });
    } catch (e) {
      reject(new SerialOpenError(path, (e as Error).message));
      return;
    }
    // Registered before any read can be queued on 'open', so the first read is already guarded.
    port.once('open', () => guardAgainstHangup(port));
    port.open((err) => (err ? reject(new SerialOpenError(path, err.message)) : resolve(port)));
  });
}

export interface SerialByteSource extends ByteSource {
  onClose(handler: (error?: Error) => void): void;
  /** Closes the port; close handlers get no error. */
  close(): Promise<void>;
}

/**
 * Opens `path` for reading. Resolves once the port is open; rejects with SerialOpenError.
 * Bytes are held by the port until the first onData handler is registered, so none are lost
 * between opening and wiring.
 */
export async function openSerialByteSource(
  path: string,
  options: Partial<SerialOptions>,
  clock: Clock,
  log: Logger,
): Promise<SerialByteSource> {
  const port = await openPort(path, { ...DEFAULT_SERIAL_OPTIONS, ...options });
  const link = new PortLink(port, path, log);
  const handlers: ((bytes: Uint8Array, stampNs: StampNs) => void)[] = [];
  return {
    name: path,
    onData(handler) {
      handlers.push(handler);
      if (handlers.length > 1) return;
      port.on('data', (chunk: Buffer) => {
        const stampNs = clock.nowNs();
        for (const h of handlers) {
          try {
            h(chunk, stampNs);
          } catch (error) {
            log.error('serial data handler failed', { path, error });
          }
        }
      });
    },
    onClose: (handler) => link.onClose(handler),
    close: () => link.close(),
  };
}

/** Writes bytes to a serial port; a failed write is logged and ends the sink as disconnected. */
export class SerialByteSink implements ByteSink {
  private constructor(
    readonly name: string,
    private readonly link: PortLink,
    private readonly log: Logger,
  ) {}

  /** Opens `path` for writing. Rejects with SerialOpenError. */
  static async open(path: string, options: Partial<SerialOptions>, log: Logger): Promise<SerialByteSink> {
    const port = await openPort(path, { ...DEFAULT_SERIAL_OPTIONS, ...options });
    return new SerialByteSink(path, new PortLink(port, path, log), log);
  }

  write(bytes: Uint8Array): void {
    if (!this.link.port.isOpen) {
      this.log.warn('serial write on a closed port dropped', { path: this.name, bytes: bytes.length });
      return;
    }
    this.link.port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) => {
      if (err) this.link.lost(`write failed: ${err.message}`);
    });
  }

  /** Resolves when written bytes have been handed to the operating system. */
  drain(): Promise<void> {
    return new Promise((resolve) => this.link.port.drain(() => resolve()));
  }

  onClose(handler: (error?: Error) => void): void {
    this.link.onClose(handler);
  }

  close(): Promise<void> {
    return this.link.close();
  }
}
