// The envelope: checksum policy, talkers, proprietary and unknown sentences, rejection counts.
import { describe, expect, it } from 'vitest';
import { frameSentence, nmeaChecksum } from '../../../src/drivers/nmea/checksum.ts';
import { NmeaParser } from '../../../src/drivers/nmea/parser.ts';
import { openEnvelope, vectorNavCrc16 } from '../../../src/drivers/nmea/envelope.ts';
import { only, parseText } from '../helpers.ts';

const HDT_BODY = 'GPHDT,274.07,T';

describe('checksum policy', () => {
  it('rejects a wrong checksum as checksum', () => {
    const p = new NmeaParser();
    // The right checksum of GPHDT,274.07,T is 03 (from the hemi.log capture); 04 is wrong.
    expect(nmeaChecksum(HDT_BODY)).toBe(0x03);
    const [r] = parseText(p, `$${HDT_BODY}*04\r\n`);
    expect(r).toMatchObject({ kind: 'rejected', reason: 'checksum', detail: 'expected 03, found 04' });
  });

  it('accepts lower-case hex digits', () => {
    expect(only(parseText(new NmeaParser(), '$INMTW,17.9,C*1b\r\n'))).toMatchObject({ temperatureC: 17.9 });
  });

  it('rejects a missing checksum by default and accepts it with requireChecksum: false', () => {
    const line = `$${HDT_BODY}\r\n`;
    const strict = new NmeaParser();
    expect(parseText(strict, line)[0]).toMatchObject({ kind: 'rejected', reason: 'checksum' });
    expect(strict.stats().rejected).toEqual({ checksum: 1, malformed: 0, unsupported: 0 });
    expect(only(parseText(new NmeaParser({ requireChecksum: false }), line))).toEqual({ sentence: 'HDT', talker: 'GP', headingDeg: 274.07 });
  });

  it('treats *XX as disabled checksum: rejected unless allowed', () => {
    const line = `$${HDT_BODY}*XX\r\n`;
    expect(parseText(new NmeaParser(), line)[0]).toMatchObject({ reason: 'checksum' });
    expect(only(parseText(new NmeaParser({ acceptDisabledChecksum: true }), line))).toMatchObject({ headingDeg: 274.07 });
  });

  it('checks a four-digit VectorNav CRC-16', () => {
    // CRC-16/XMODEM check value: "123456789" -> 0x31C3.
    expect(vectorNavCrc16('123456789')).toBe(0x31c3);
    const body = HDT_BODY;
    const crc = vectorNavCrc16(body).toString(16).toUpperCase().padStart(4, '0');
    expect(only(parseText(new NmeaParser(), `$${body}*${crc}\r\n`))).toMatchObject({ headingDeg: 274.07 });
    const bad = ((vectorNavCrc16(body) ^ 1) >>> 0).toString(16).padStart(4, '0');
    expect(parseText(new NmeaParser(), `$${body}*${bad}\r\n`)[0]).toMatchObject({ reason: 'checksum' });
  });

  it('rejects a checksum field that is not hex as malformed', () => {
    expect(parseText(new NmeaParser(), `$${HDT_BODY}*G1\r\n`)[0]).toMatchObject({ reason: 'malformed' });
  });
});

describe('address field', () => {
  it('splits talkers of any length before the three-letter type', () => {
    expect(openEnvelope('$02MWV,1,R', { requireChecksum: false, acceptDisabledChecksum: false })).toMatchObject({ talker: '02', type: 'MWV' });
    expect(openEnvelope('$GYOACC,1', { requireChecksum: false, acceptDisabledChecksum: false })).toMatchObject({ talker: 'GYO', type: 'ACC' });
  });

  it('counts proprietary and unknown sentences as unsupported, not errors', () => {
    const p = new NmeaParser();
    const r = parseText(p, frameSentence('PASHR,1,2,3') + frameSentence('PGRME,7.6,M') + frameSentence('GPGSV,1,1,0') + frameSentence('VNYMR,1,2,3,4,5,6,7,8,9,10,11,12'));
    expect(r.map((x) => x.kind === 'rejected' && x.reason)).toEqual(['unsupported', 'unsupported', 'unsupported', 'unsupported']);
    expect(p.stats()).toEqual({ accepted: 0, rejected: { checksum: 0, malformed: 0, unsupported: 4 }, garbageBytes: 0 });
  });

  it('rejects an address with lower-case or punctuation as malformed', () => {
    expect(parseText(new NmeaParser(), frameSentence('gpGGA,1'))[0]).toMatchObject({ reason: 'malformed' });
    expect(parseText(new NmeaParser(), frameSentence('G-GGA,1'))[0]).toMatchObject({ reason: 'malformed' });
  });
});
