import { describe, expect, it } from 'vitest';
import { CpuMppi } from '../../../src/control/mppi/cpu.ts';
import { buildFenceGrid } from '../../../src/control/mppi/grid.ts';
import { P } from '../../../src/control/mppi/problem.ts';
import { DEFAULT_MPPI_SETTINGS } from '../../../src/control/mppi/settings.ts';
import { OTTER } from '../../../src/model/vessel.ts';
import { resolveConfig } from '../../../src/config/index.ts';
import { silentLogger, type Logger } from '../../../src/runtime/log.ts';
import { createController } from '../../../src/runtime/wiring/controller.ts';

// A pond 40 m (north) x 100 m (east); the shore at north = 40 is 6 m ahead of a vessel at
// north 34 driving north at 1.5 m/s, and the lane it is asked to follow runs straight on into it.
const POND = [
  { northM: 0, eastM: -50 },
  { northM: 0, eastM: 50 },
  { northM: 40, eastM: 50 },
  { northM: 40, eastM: -50 },
];

function headingForShore(fence?: Float32Array): CpuMppi {
  const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 256, horizonSteps: 40 };
  const m = new CpuMppi({ settings, vessel: OTTER, workers: 0, fence });
  const f = m.problem.f;
  f[P.n] = 34; f[P.e] = 0; f[P.psi] = 0; f[P.u] = 1.5;
  f[P.tl] = 60; f[P.tr] = 60; f[P.lastCmdL] = 60; f[P.lastCmdR] = 60;
  f[P.aFromN] = 0; f[P.aToN] = 100; f[P.goalN] = 40; f[P.uRefMps] = 1.5;
  m.nominal.fill(60);
  return m;
}

/** The nominal plan's mean thrust over the first second (10 steps), both thrusters. */
function meanThrust(m: CpuMppi): number {
  const T = m.settings.horizonSteps;
  let s = 0;
  for (let t = 0; t < 10; t++) s += m.nominal[t] + m.nominal[T + t];
  return s / 20;
}

describe('MPPI geofence critic in the optimiser', () => {
  it('brakes or turns away from a shore ahead when the fence is given, and drives on into it without', () => {
    const fenced = headingForShore(buildFenceGrid(POND, 1, 10));
    const open = headingForShore();
    fenced.optimize();
    open.optimize();
    // Every sample of the first fenced optimisation that ends beyond the shore carries the collision cost.
    const b = fenced.batch;
    let crossed = 0;
    for (let k = 0; k < b.K; k++) {
      if (b.northM[k * b.T + b.T - 1] > 40.5) {
        crossed++;
        expect(b.costs[k]).toBeGreaterThan(DEFAULT_MPPI_SETTINGS.collisionCost);
      }
    }
    expect(crossed).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) {
      fenced.optimize();
      open.optimize();
    }
    // Without the fence the plan keeps pushing ahead along the lane; with it, the plan backs off
    // (less forward thrust) or turns (a large left/right difference).
    const T = fenced.settings.horizonSteps;
    const turn = Math.abs(fenced.nominal[0] - fenced.nominal[T]);
    expect(meanThrust(fenced) < meanThrust(open) - 10 || turn > 30).toBe(true);
  });
});

describe('createController (MPPI)', () => {
  const config = resolveConfig({ control: { controller: 'mppi', mppi: { workerThreads: 0, samples: 64, horizonSteps: 10 } } });
  const plan = { legs: [{ fromNorthM: 0, fromEastM: 0, toNorthM: 30, toEastM: 0, kind: 'lane' as const, speedMps: 1.5 }] };

  function recordingLogger(warnings: string[]): Logger {
    const l: Logger = { ...silentLogger, warn: (msg: string) => void warnings.push(msg), child: () => l };
    return l;
  }

  it('takes the geofence when it is given (no warning), and warns when it is not', () => {
    const withFence: string[] = [];
    const a = createController(config, plan, recordingLogger(withFence), { geofence: POND });
    expect(a.backend).toBe('cpu');
    expect(a.rateHz).toBe(10);
    expect(withFence.some((w) => w.includes('no geofence'))).toBe(false);
    const without: string[] = [];
    createController(config, plan, recordingLogger(without));
    expect(without.some((w) => w.includes('no geofence'))).toBe(true);
  });

  it('builds the baseline PID when asked', () => {
    const pid = createController(resolveConfig({ control: { controller: 'pid' } }), plan, silentLogger);
    expect(pid.backend).toBe('pid');
  });
});
