// The chaos scenario's GPU loss, for real: the MPPI controller runs on a WebGPU device (Mesa
// lavapipe here), the chaos operator has that device destroyed mid-run, the next GPU run fails
// and the CPU backend takes over in the same tick; the vessel keeps surveying in AUTO. Without a
// WebGPU adapter the tests skip with a message, except under CI, which installs lavapipe.
import { beforeAll, describe, expect, it } from 'vitest';
import { openGpu } from '../../src/adapters/webgpu.ts';
import { createMppiBackend } from '../../src/control/mppi/gpu/backend.ts';
import type { GpuMppi } from '../../src/control/mppi/gpu/gpu-mppi.ts';
import { P } from '../../src/control/mppi/problem.ts';
import { DEFAULT_MPPI_SETTINGS } from '../../src/control/mppi/settings.ts';
import { resolveConfig } from '../../src/config/index.ts';
import { OTTER } from '../../src/model/vessel.ts';
import { createLogger, silentLogger } from '../../src/runtime/log.ts';
import { planChaos } from '../../src/runtime/chaos.ts';
import type { ChaosOutcome } from '../../src/runtime/chaos-score.ts';
import { runSimulation } from '../../src/runtime/simulate.ts';

let adapter = false;

beforeAll(async () => {
  const handle = await openGpu({ allowSoftware: true });
  adapter = handle !== undefined;
  handle?.device.destroy();
  if (!adapter) {
    if (process.env.CI === 'true') throw new Error('CI: no WebGPU adapter (lavapipe expected)');
    console.warn('chaos-gpu.test: no WebGPU adapter found (install mesa-vulkan-drivers for lavapipe); GPU loss tests skipped');
  }
}, 30_000);

describe('GpuMppi.loseDevice', () => {
  it('destroys the device; the next optimisation runs on the CPU, and the reason names the lost device', async (ctx) => {
    if (!adapter) return ctx.skip();
    const lines: string[] = [];
    const log = createLogger({ sinks: [(l) => lines.push(l)], level: 'warn' });
    const settings = { ...DEFAULT_MPPI_SETTINGS, samples: 256, horizonSteps: 30 };
    const gpu = createMppiBackend({ settings, vessel: OTTER, workers: 0 }, 'gpu', log) as GpuMppi;
    try {
      await gpu.ready();
      expect(gpu.backend).toBe('gpu');
      const f = gpu.problem.f;
      f[P.u] = 1.4; f[P.aToN] = 100; f[P.goalN] = 10; f[P.uRefMps] = 1.5;
      expect(Number.isFinite(gpu.optimize().minCost)).toBe(true);
      expect(gpu.loseDevice('test')).toBe(true);
      const r = gpu.optimize();
      expect(gpu.backend).toBe('cpu');
      expect(Number.isFinite(r.minCost)).toBe(true);
      expect(gpu.loseDevice('again')).toBe(false);
      // The worker's account of the failure arrives as a message after the synchronous fallback.
      await gpu.closed;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(gpu.fallbackReason).toMatch(/GPU run failed: .*(lost|destroyed|Abort)/i);
      expect(lines.some((l) => l.includes('the CPU runs for the rest of the run'))).toBe(true);
    } finally {
      gpu.close();
      await gpu.closed;
    }
  }, 60_000);

  it('is refused by the CPU backend, which has no device', () => {
    const cpu = createMppiBackend({ settings: DEFAULT_MPPI_SETTINGS, vessel: OTTER, workers: 0 }, 'cpu', silentLogger);
    expect(cpu.loseDevice('test')).toBe(false);
    cpu.close();
  });
});

describe('chaos gpuLost with the MPPI controller on the GPU', () => {
  // Seed 49 draws gpuLost first, at 40.5 s; 170 s holds that slot only.
  const seed = 49;
  const durationS = 170;

  it('the plan for this seed starts with the GPU loss', () => {
    expect(planChaos(seed, durationS)).toEqual([expect.objectContaining({ kind: 'gpuLost', atS: 40.5 })]);
  });

  it('destroys the device in use; control continues on the CPU in AUTO, inside the fence', async (ctx) => {
    if (!adapter) return ctx.skip();
    const config = resolveConfig({ control: { controller: 'mppi', backend: 'gpu', mppi: { samples: 256 } } });
    const { report } = await runSimulation({ config, scenario: 'chaos', seed, durationS, realtime: false, log: silentLogger });
    const faults = (report as { chaos?: { faults: ChaosOutcome[] } }).chaos?.faults ?? [];
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ kind: 'gpuLost', modeAtOnset: 'AUTO', outcome: 'tolerated' });
    expect(faults[0].effect).toBe('GPU device destroyed; control backend after it: cpu');
    expect(faults[0].deviceLost).toBe(true);
    expect(report.control.backend).toBe('cpu');
    expect(report.safety.modeChanges.map((m) => m.to)).toEqual(['AUTO']);
    expect(report.safety.geofenceViolations).toBe(0);
    expect(report.safety.groundings).toBe(0);
    expect(report.survey.distanceM).toBeGreaterThan(150);
  }, 120_000);

  it('with the PID controller the loss finds no device and says so', async () => {
    const { report } = await runSimulation({ config: resolveConfig({}), scenario: 'chaos', seed, durationS, realtime: false, log: silentLogger });
    const faults = (report as { chaos?: { faults: ChaosOutcome[] } }).chaos?.faults ?? [];
    expect(faults.map((f) => f.effect)).toEqual(['no GPU device in use (control backend pid)']);
  }, 60_000);
});
