// The serial adapter against a real pseudo-terminal pair made by socat: NMEA bytes written into
// one end come out of the other as decoded samples through NmeaDriverNode.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it, test, vi } from 'vitest';
import { openSerialByteSource, SerialByteSink, SerialDisconnectedError, SerialOpenError } from '../../src/adapters/serial.ts';
import type { SerialByteSource } from '../../src/adapters/serial.ts';
import { frameSentence } from '../../src/drivers/nmea/checksum.ts';
import { NmeaDriverNode } from '../../src/drivers/nmea/node.ts';
import type { Topics } from '../../src/msg/index.ts';
import { WallClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { Runtime } from '../../src/runtime/node.ts';

const SOCAT = ['/usr/bin/socat', '/usr/local/bin/socat', '/bin/socat'].find((p) => existsSync(p));

/** Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and reads the two /dev/pts paths from its stderr. */
function startSocat(path: string): Promise<{ proc: ChildProcess; ptys: [string, string] }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(path, ['-d', '-d', 'pty,raw,echo=0', 'pty,raw,echo=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const ptys: string[] = [];
    let stderr = '';
    proc.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const m of stderr.matchAll(/PTY is (\/dev\/\S+)/g)) if (!ptys.includes(m[1])) ptys.push(m[1]);
      if (ptys.length === 2 && /starting data transfer loop/.test(stderr)) resolve({ proc, ptys: [ptys[0], ptys[1]] });
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`socat exited (${code}) before opening ptys: ${stderr}`)));
  });
}

const procs: ChildProcess[] = [];
const ports: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const p of ports) await p.close().catch(() => undefined);
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM');
});

if (!SOCAT) {
  if (process.env.CI === 'true') test('socat is installed', () => expect.fail('socat not found; the serial adapter test needs it on CI'));
  else test.skip('skipped: socat not found (install socat to run the serial adapter test)', () => undefined);
}

describe.runIf(SOCAT !== undefined)('serial adapter over a socat pty pair', () => {
  it('carries NMEA bytes from a SerialByteSink to NmeaDriverNode through a SerialByteSource', async () => {
    const { proc, ptys } = await startSocat(SOCAT!);
    procs.push(proc);
    const clock = new WallClock();
    const source: SerialByteSource = await openSerialByteSource(ptys[0], { baudRate: 115200 }, clock, silentLogger);
    ports.push(source);
    const sink = await SerialByteSink.open(ptys[1], { baudRate: 115200 }, silentLogger);
    ports.push(sink);

    const rt = new Runtime({ clock, log: silentLogger });
    const got: { topic: keyof Topics; message: Topics[keyof Topics] }[] = [];
    rt.bus.tap((topic, message) => got.push({ topic, message }));
    rt.add(new NmeaDriverNode('gps', source));
    rt.start();

    const text =
      frameSentence('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,') +
      '\xb5b garbage\n' +
      frameSentence('GPHDT,274.07,T');
    sink.write(new TextEncoder().encode(text));
    await sink.drain();

    await vi.waitFor(() => expect(got.map((g) => g.topic)).toEqual(['gnss', 'heading']), { timeout: 10_000, interval: 20 });
    expect(got[0].message).toMatchObject({ latDeg: 48 + 7.038 / 60, lonDeg: 11 + 31 / 60, fixQuality: 1 });
    expect(got[1].message).toMatchObject({ headingRad: (274.07 * Math.PI) / 180, isTrue: true });
    expect(typeof got[0].message.stampNs).toBe('bigint');
    rt.stop();
  });

  it('delivers a lost pty as SerialDisconnectedError to onClose, not as an unhandled error', async () => {
    const { proc, ptys } = await startSocat(SOCAT!);
    procs.push(proc);
    const source = await openSerialByteSource(ptys[0], {}, new WallClock(), silentLogger);
    ports.push(source);
    const closed: (Error | undefined)[] = [];
    source.onClose((e) => closed.push(e));
    source.onData(() => undefined);
    proc.kill('SIGTERM');
    await vi.waitFor(() => expect(closed).toHaveLength(1), { timeout: 10_000, interval: 20 });
    expect(closed[0]).toBeInstanceOf(SerialDisconnectedError);
    expect((closed[0] as SerialDisconnectedError).path).toBe(ptys[0]);
  });

  it('rejects opening a missing device with SerialOpenError', async () => {
    await expect(openSerialByteSource('/dev/pts/does-not-exist', {}, new WallClock(), silentLogger)).rejects.toBeInstanceOf(SerialOpenError);
  });
});
