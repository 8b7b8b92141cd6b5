import { describe, expect, it } from 'vitest';
import { DEFAULT_SIM_OPTIONS, mergeSimOptions, Simulator, simulatedUtcMs } from '../../sim/index.ts';
import type { DeepPartial, SimOptions } from '../../sim/index.ts';
import { collect, fieldsOf, mean, nmeaToDeg, std } from './helpers.ts';

const cmd = (leftN: number, rightN: number) => ({ stampNs: 0n, leftN, rightN });

/** Runs `seconds` of a gently turning survey pass and records every line and the truth at each. */
function drive(partial: DeepPartial<SimOptions>, seed: number, seconds: number) {
  const sim = new Simulator(mergeSimOptions(partial), seed);
  const lines = collect(sim);
  sim.thrusters.apply(cmd(30, 28));
  for (let i = 0; i < seconds * 10; i++) sim.step(0.1);
  return { sim, lines };
}

describe('sentences on the wire', () => {
  const { sim, lines } = drive({}, 42, 60);

  it('emits at the configured rates, stamped at their due instants', () => {
    // 60 s: GNSS 5 Hz x 3 sentences, IMU 50 Hz, sounder 10 Hz x 2 sentences (a few dropouts allowed).
    expect(lines.gnss).toHaveLength(300 * 3);
    expect(lines.imu).toHaveLength(3000);
    expect(lines.sounder.length).toBeGreaterThan(1180);
    expect(lines.sounder.length).toBeLessThanOrEqual(1200);
    expect(lines.gnss[0].stampNs).toBe(200_000_000n);
    expect(lines.imu[0].stampNs).toBe(20_000_000n);
    expect(lines.imu[2999].stampNs).toBe(60_000_000_000n);
    expect(sim.nowNs).toBe(60_000_000_000n);
  });

  it('frames every line with a valid checksum', () => {
    for (const l of [...lines.gnss, ...lines.imu, ...lines.sounder]) expect(() => fieldsOf(l.text)).not.toThrow();
  });

  it('GGA, RMC and VTG carry the expected fields', () => {
    const gga = fieldsOf(lines.gnss[0].text);
    const rmc = fieldsOf(lines.gnss[1].text);
    const vtg = fieldsOf(lines.gnss[2].text);
    // GGA: 14 fields after the address. First epoch at t = 0.2 s after 10:00:00 UTC.
    expect(gga).toHaveLength(15);
    expect(gga[0]).toBe('GNGGA');
    expect(gga[1]).toBe('100000.20');
    expect(gga[2]).toMatch(/^\d{4}\.\d{6}$/);
    expect(gga[3]).toBe('N');
    expect(gga[4]).toMatch(/^\d{5}\.\d{6}$/);
    expect(gga[5]).toBe('E');
    expect(gga[6]).toBe('1');
    expect(Number(gga[7])).toBeGreaterThanOrEqual(8);
    expect(Number(gga[7])).toBeLessThanOrEqual(14);
    expect(gga[9]).toMatch(/^\d+\.\d$/);
    expect(gga[10]).toBe('M');
    // RMC: status A, the same position, date 1 June 2026, mode A.
    expect(rmc).toHaveLength(13);
    expect(rmc.slice(0, 3)).toEqual(['GNRMC', '100000.20', 'A']);
    expect(rmc.slice(3, 7)).toEqual(gga.slice(2, 6));
    expect(rmc[9]).toBe('010626');
    expect(rmc[12]).toBe('A');
    // VTG: course true, speed in knots and km/h agreeing (1 kn = 1.852 km/h).
    expect(vtg).toHaveLength(10);
    expect([vtg[0], vtg[2], vtg[4], vtg[6], vtg[8]]).toEqual(['GNVTG', 'T', 'M', 'N', 'K']);
    const last = fieldsOf(lines.gnss[lines.gnss.length - 1].text);
    expect(Number(last[7])).toBeCloseTo(Number(last[5]) * 1.852, 2);
    expect(Number(last[1])).toBeGreaterThanOrEqual(0);
    expect(Number(last[1])).toBeLessThan(360);
  });

  it('reports speed over ground in knots close to the true speed', () => {
    const kn = lines.gnss.filter((l) => l.text.startsWith('$GNRMC')).slice(-50).map((l) => Number(fieldsOf(l.text)[7]));
    const u = sim.truth().vessel.uMps;
    // 58 N of thrust: about 0.75 m/s through the water = 1.46 kn; the current changes it by up to 0.4 kn.
    expect(Math.abs(mean(kn) - (u * 3600) / 1852)).toBeLessThan(0.5);
  });

  it('$VNYMR has 12 values in VectorNav fixed formats and reads -g on a level z axis', () => {
    const f = fieldsOf(lines.imu[100].text);
    expect(f[0]).toBe('VNYMR');
    expect(f).toHaveLength(13);
    for (const v of f.slice(1, 4)) expect(v).toMatch(/^[+-]\d{3}\.\d{3}$/);
    for (const v of f.slice(4, 7)) expect(v).toMatch(/^[+-]\d{2}\.\d{4}$/);
    for (const v of f.slice(7, 10)) expect(v).toMatch(/^[+-]\d{2}\.\d{3}$/);
    for (const v of f.slice(10, 13)) expect(v).toMatch(/^[+-]\d{2}\.\d{6}$/);
    const az = lines.imu.map((l) => Number(fieldsOf(l.text)[9]));
    expect(mean(az)).toBeCloseTo(-9.81, 1);
    const yaws = lines.imu.map((l) => Number(fieldsOf(l.text)[1]));
    expect(Math.max(...yaws)).toBeLessThanOrEqual(180);
    expect(Math.min(...yaws)).toBeGreaterThanOrEqual(-180);
  });

  it('DPT and DBT give the same depth in metres, feet and fathoms', () => {
    const dpt = lines.sounder.map((l) => fieldsOf(l.text)).find((f) => f[0] === 'SDDPT' && f[1] !== '')!;
    expect(dpt).toHaveLength(4);
    expect(dpt[2]).toBe('0.10');
    expect(dpt[3]).toBe('100');
    const dbt = lines.sounder.map((l) => fieldsOf(l.text)).find((f) => f[0] === 'SDDBT' && f[3] !== '')!;
    expect(dbt).toHaveLength(7);
    expect([dbt[2], dbt[4], dbt[6]]).toEqual(['f', 'M', 'F']);
    // 1 ft = 0.3048 m, 1 fathom = 1.8288 m.
    expect(Number(dbt[1]) * 0.3048).toBeCloseTo(Number(dbt[3]), 1);
    expect(Number(dbt[5]) * 1.8288).toBeCloseTo(Number(dbt[3]), 1);
  });

  it('keeps GNSS time consistent with simulatedUtcMs', () => {
    expect(simulatedUtcMs(0)).toBe(Date.UTC(2026, 5, 1, 10, 0, 0));
    expect(sim.utcMs()).toBe(simulatedUtcMs(60, DEFAULT_SIM_OPTIONS.utcStart));
    expect(fieldsOf(lines.gnss[lines.gnss.length - 3].text)[1]).toBe('100100.00');
  });
});

describe('determinism', () => {
  it('gives identical bytes for the same seed and different bytes for another', () => {
    const a = drive({}, 7, 20).lines.all.join('');
    const b = drive({}, 7, 20).lines.all.join('');
    const c = drive({}, 8, 20).lines.all.join('');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it("keeps each sensor's noise apart: a faster IMU leaves the GNSS and sounder bytes unchanged", () => {
    const a = drive({ disturbance: { gustSigmaN: 0, gustMomentSigmaNm: 0 } }, 7, 20).lines;
    const b = drive({ disturbance: { gustSigmaN: 0, gustMomentSigmaNm: 0 }, sensors: { imu: { rateHz: 100 } } }, 7, 20).lines;
    expect(b.imu.length).toBe(2 * a.imu.length);
    expect(b.gnss.map((l) => l.text)).toEqual(a.gnss.map((l) => l.text));
    expect(b.sounder.map((l) => l.text)).toEqual(a.sounder.map((l) => l.text));
  });

  it('does not depend on how the run is cut into steps when steps land on the physics grid', () => {
    const run = (dt: number) => {
      const sim = new Simulator(DEFAULT_SIM_OPTIONS, 5);
      const l = collect(sim);
      sim.thrusters.apply(cmd(40, 35));
      for (let i = 0; i < Math.round(10 / dt); i++) sim.step(dt);
      return l.all.join('');
    };
    expect(run(0.05)).toBe(run(0.25));
  });
});

describe('noise statistics', () => {
  function gnssErrors(partial: DeepPartial<SimOptions>, seed: number, seconds: number): { n: number[]; e: number[]; hdop: number[] } {
    const sim = new Simulator(mergeSimOptions(partial), seed);
    const n: number[] = [];
    const e: number[] = [];
    const hdop: number[] = [];
    sim.sources.gnss.onData((bytes) => {
      const f = fieldsOf(new TextDecoder().decode(bytes).split('\r\n')[0]);
      if (f[6] !== '1') return;
      const p = sim.frame.toLocal({ latDeg: nmeaToDeg(f[2], f[3]), lonDeg: nmeaToDeg(f[4], f[5]) });
      const t = sim.truth().vessel; // handlers run at the sample instant, so truth is that instant's
      hdop.push(Number(f[8]));
      n.push(p.northM - t.northM);
      e.push(p.eastM - t.eastM);
    });
    for (let i = 0; i < seconds; i++) sim.step(1);
    return { n, e, hdop };
  }

  it('GNSS white noise has the configured sigma (0.5 m per axis) when the bias is off', () => {
    const { n, e } = gnssErrors({ sensors: { gnss: { biasSigmaM: 0 } } }, 3, 2000);
    expect(n.length).toBe(10_000);
    for (const xs of [n, e]) {
      expect(Math.abs(mean(xs))).toBeLessThan(0.03);
      expect(std(xs)).toBeGreaterThan(0.46);
      expect(std(xs)).toBeLessThan(0.54);
    }
  });

  it('GNSS bias + white noise: about sqrt(1^2 + 0.5^2) = 1.12 m per axis over a long run', () => {
    const { n, e } = gnssErrors({}, 4, 4000);
    const s = Math.sqrt((std(n) ** 2 + std(e) ** 2) / 2);
    expect(s).toBeGreaterThan(0.75);
    expect(s).toBeLessThan(1.5);
  });

  it('degradation multiplies the GNSS error and raises HDOP', () => {
    const healthy = gnssErrors({ sensors: { gnss: { biasSigmaM: 0 } } }, 3, 400);
    const bad = gnssErrors({ sensors: { gnss: { biasSigmaM: 0 } }, faults: [{ kind: 'gnssDegradation', atS: 0, severity: 4 }] }, 3, 400);
    expect(std(bad.n) / std(healthy.n)).toBeCloseTo(4, 0);
    // Healthy HDOP wanders around 1.1 (0.8..1.5); degraded it is 4 times that.
    expect(mean(healthy.hdop)).toBeGreaterThan(0.8);
    expect(mean(healthy.hdop)).toBeLessThan(1.5);
    expect(mean(bad.hdop) / mean(healthy.hdop)).toBeCloseTo(4, 0);
  });

  it('sounder noise is 0.5 % of depth + 2 cm, with rare outliers', () => {
    const sim = new Simulator(mergeSimOptions({ sensors: { sounder: { outlierProb: 0.01, dropoutProb: 0 } } }), 9);
    const z: number[] = [];
    let outliers = 0;
    sim.sources.sounder.onData((bytes) => {
      const f = fieldsOf(new TextDecoder().decode(bytes).split('\r\n')[0]);
      const truthM = sim.truth().depthBelowTransducerM;
      const zi = (Number(f[1]) - truthM) / (0.005 * truthM + 0.02);
      if (Math.abs(zi) > 6) outliers++;
      else z.push(zi);
    });
    sim.thrusters.apply(cmd(20, 20));
    for (let i = 0; i < 1500; i++) sim.step(1);
    // 15000 pings, 1 % outliers of which about half are far off: ~75 (generous bounds).
    expect(outliers).toBeGreaterThan(25);
    expect(outliers).toBeLessThan(200);
    expect(std(z)).toBeGreaterThan(0.9);
    expect(std(z)).toBeLessThan(1.1);
  });

  it('IMU yaw error averages the heading bias and gyro z the yaw rate plus bias', () => {
    const sim = new Simulator(mergeSimOptions({ sensors: { imu: { headingDriftDegPerSqrtS: 0, gyroBiasSigmaRadps: 0, gyroBiasDriftRadpsPerSqrtS: 0 } } }), 6);
    const yawErr: number[] = [];
    const gz: number[] = [];
    sim.sources.imu.onData((bytes) => {
      const f = fieldsOf(new TextDecoder().decode(bytes).trimEnd());
      const t = sim.truth().vessel;
      let d = Number(f[1]) - (t.yawRad * 180) / Math.PI;
      d = ((d + 540) % 360) - 180;
      yawErr.push(d);
      gz.push(Number(f[12]) - t.rRadps);
    });
    sim.thrusters.apply(cmd(40, 30));
    for (let i = 0; i < 200; i++) sim.step(1);
    // Bias 0.5 deg, noise 0.2 deg; gyro noise 0.002 rad/s (+ tiny wave cross-coupling).
    expect(mean(yawErr)).toBeCloseTo(0.5, 1);
    expect(std(yawErr)).toBeCloseTo(0.2, 1);
    expect(Math.abs(mean(gz))).toBeLessThan(0.001);
    expect(std(gz)).toBeLessThan(0.004);
  });
});
