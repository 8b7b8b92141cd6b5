// The driver nodes inside a real Runtime on a virtual clock, fed from an in-memory ByteSource.
import { describe, expect, it } from 'vitest';
import type { StampNs, Topics } from '../../src/msg/index.ts';
import type { ByteSource } from '../../src/ports/index.ts';
import { Runtime } from '../../src/runtime/node.ts';
import { VirtualClock } from '../../src/runtime/clock.ts';
import { silentLogger } from '../../src/runtime/log.ts';
import { frameSentence } from '../../src/drivers/nmea/checksum.ts';
import { NmeaDriverNode } from '../../src/drivers/nmea/node.ts';
import { VectorNavDriverNode } from '../../src/drivers/vectornav/node.ts';
import { enc } from './helpers.ts';

class MemorySource implements ByteSource {
  readonly name = 'memory';
  private handler?: (bytes: Uint8Array, stampNs: StampNs) => void;
  onData(handler: (bytes: Uint8Array, stampNs: StampNs) => void): void {
    this.handler = handler;
  }
  feed(text: string | Uint8Array, stampNs: StampNs): void {
    this.handler?.(typeof text === 'string' ? enc(text) : text, stampNs);
  }
}

function setup() {
  const clock = new VirtualClock(0n);
  const rt = new Runtime({ clock, log: silentLogger });
  const got: { topic: keyof Topics; message: Topics[keyof Topics] }[] = [];
  rt.bus.tap((topic, message) => got.push({ topic, message }));
  return { clock, rt, got };
}

describe('NmeaDriverNode', () => {
  it('publishes samples stamped with the chunk stamp and driverStats every second', () => {
    const { clock, rt, got } = setup();
    const src = new MemorySource();
    rt.add(new NmeaDriverNode('gps', src));
    rt.start();
    // A GGA split over two chunks is stamped with the chunk that completed it.
    const gga = frameSentence('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,');
    src.feed(gga.slice(0, 20), 100n);
    src.feed(gga.slice(20) + '$GPHDT,1,T*00\r\n' + frameSentence('PGRME,1') + '\xff\xfe\r\n', 200n);
    expect(got.map((g) => g.topic)).toEqual(['gnss']);
    expect(got[0].message.stampNs).toBe(200n);

    clock.advanceTo(1_000_000_000n);
    rt.runTimersUntil(clock.nowNs());
    expect(got[1]).toEqual({
      topic: 'driverStats',
      message: { stampNs: 1_000_000_000n, driver: 'gps', accepted: 1, rejected: { checksum: 1, malformed: 0, unsupported: 1 } },
    });
    expect(rt.state('gps')).toBe('running');
  });

  it('ignores bytes after stop()', () => {
    const { rt, got } = setup();
    const src = new MemorySource();
    rt.add(new NmeaDriverNode('gps', src));
    rt.start();
    rt.stop();
    src.feed(frameSentence('GPHDT,1,T'), 1n);
    expect(got).toEqual([]);
  });
});

describe('VectorNavDriverNode', () => {
  it('publishes ImuSamples', () => {
    const { rt, got } = setup();
    const src = new MemorySource();
    rt.add(new VectorNavDriverNode('imu', src));
    rt.start();
    src.feed(frameSentence('VNYMR,+000.000,+000.000,+000.000,0,0,0,0,0,-9.81,0,0,0'), 5n);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ topic: 'imu', message: { stampNs: 5n, accelMps2: [0, 0, -9.81] } });
  });
});
