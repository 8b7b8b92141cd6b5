import { describe, expect, it } from 'vitest';
import { frameSentence } from '../../../src/drivers/nmea/checksum.ts';
import { NmeaParser } from '../../../src/drivers/nmea/parser.ts';
import { LineFramer } from '../../../src/drivers/nmea/framer.ts';
import type { Frame } from '../../../src/drivers/nmea/framer.ts';
import { enc, parseChunks, parseText } from '../helpers.ts';

const GGA = frameSentence('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,');
const HDT = frameSentence('HEHDT,274.07,T');

function frames(framer: LineFramer, text: string): Frame[] {
  framer.push(enc(text));
  const out: Frame[] = [];
  for (let f = framer.next(); f; f = framer.next()) out.push(f);
  return out;
}

describe('LineFramer', () => {
  it('splits on CRLF and on bare LF alike', () => {
    const f = frames(new LineFramer(256), '$A,1*00\r\n$B,2*00\n$C,3*00\r\n');
    expect(f.map((x) => x.kind === 'line' && x.text)).toEqual(['$A,1*00', '$B,2*00', '$C,3*00']);
  });

  it('skips # comment lines and garbage between sentences, counting garbage bytes', () => {
    const framer = new LineFramer(256);
    const f = frames(framer, '# a comment with $GPGGA inside\nfoobar\n$A,1*00\n');
    expect(f).toEqual([{ kind: 'line', text: '$A,1*00', offset: 38 }]);
    // 'foobar' = 6 garbage bytes; the comment is not garbage.
    expect(framer.garbageBytes).toBe(6);
  });

  it('restarts at a $ inside a sentence and drops the cut fragment as spliced', () => {
    const f = frames(new LineFramer(256), '$GPGGA,030130$GPGLL,1*00\n');
    expect(f).toEqual([
      { kind: 'dropped', reason: 'spliced', text: '$GPGGA,030130', offset: 0 },
      { kind: 'line', text: '$GPGLL,1*00', offset: 13 },
    ]);
  });

  it('drops a sentence hit by a binary byte, then resynchronises on the next $', () => {
    const framer = new LineFramer(256);
    framer.push(new Uint8Array([0x24, 0x41, 0x2c, 0xb5, 0x62, 0x01, 0x07, 0x0a]));
    framer.push(enc('$B,1*00\n'));
    const out: Frame[] = [];
    for (let x = framer.next(); x; x = framer.next()) out.push(x);
    expect(out.map((x) => [x.kind, x.text])).toEqual([
      ['dropped', '$A,'],
      ['line', '$B,1*00'],
    ]);
  });

  it('drops an overlong line and skips the rest of it', () => {
    const long = '$' + 'A'.repeat(20) + ',tail-of-the-line\n$B,1*00\n';
    const f = frames(new LineFramer(16), long);
    expect(f.map((x) => [x.kind, x.kind === 'dropped' ? x.reason : x.text])).toEqual([
      ['dropped', 'overlong'],
      ['line', '$B,1*00'],
    ]);
  });

  it('returns a last line without newline only on flush()', () => {
    const framer = new LineFramer(256);
    framer.push(enc('$A,1*00'));
    expect(framer.next()).toBeUndefined();
    expect(framer.flush()).toEqual({ kind: 'line', text: '$A,1*00', offset: 0 });
  });
});

describe('NmeaParser framing through the parser', () => {
  it('gives the same results when fed one byte at a time', () => {
    const text = `# header\r\n${GGA}${HDT.replace('\r\n', '\n')}garbage\n${GGA}`;
    const whole = parseText(new NmeaParser(), text);
    const bytes = enc(text);
    const byByte = parseChunks(new NmeaParser(), Array.from(bytes, (b) => new Uint8Array([b])));
    expect(byByte).toEqual(whole);
    expect(whole.map((r) => r.kind === 'sentence' && r.sentence.sentence)).toEqual(['GGA', 'HDT', 'GGA']);
  });

  it('counts a spliced fragment as malformed and still decodes the sentence after it', () => {
    const p = new NmeaParser();
    const r = parseText(p, `$GPGGA,030130${GGA}`);
    expect(r.map((x) => x.kind)).toEqual(['rejected', 'sentence']);
    expect(p.stats().rejected).toEqual({ checksum: 0, malformed: 1, unsupported: 0 });
  });

  it('treats a lone $ in binary data as garbage, not as a malformed sentence', () => {
    const p = new NmeaParser();
    // UBX bytes 0xB5 0x62 with a 0x24 ('$') inside, then a real sentence.
    const r = parseChunks(p, [new Uint8Array([0xb5, 0x62, 0x24, 0x01, 0x24, 0x24, 0x00]), enc(HDT)]);
    expect(r.map((x) => x.kind)).toEqual(['sentence']);
    expect(p.stats().rejected).toEqual({ checksum: 0, malformed: 0, unsupported: 0 });
    expect(p.stats().garbageBytes).toBeGreaterThan(0);
  });
});
