import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, loadConfigFile, resolveConfig } from '../../src/config/index.ts';

function issuesOf(fn: () => unknown): { path: string; reason: string }[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('the defaults are valid and resolve to themselves', () => {
    expect(resolveConfig({})).toEqual(DEFAULT_CONFIG);
  });

  it('merges a partial override onto the defaults, key by key', () => {
    const c = resolveConfig({ survey: { laneSpacingM: 15 }, sim: { disturbance: { meanCurrentMps: 0.5 } } });
    expect(c.survey.laneSpacingM).toBe(15);
    expect(c.survey.marginM).toBe(DEFAULT_CONFIG.survey.marginM);
    expect(c.sim.disturbance.meanCurrentMps).toBe(0.5);
    expect(c.sim.disturbance.gustSigmaN).toBe(DEFAULT_CONFIG.sim.disturbance.gustSigmaN);
  });

  it('refuses a bad value with its path and the reason', () => {
    const issues = issuesOf(() => resolveConfig({ survey: { laneSpacingM: -3 }, vehicle: { massKg: 'heavy' } }));
    expect(issues).toContainEqual({ path: 'survey.laneSpacingM', reason: expect.stringMatching(/>0/) });
    expect(issues).toContainEqual({ path: 'vehicle.massKg', reason: expect.stringMatching(/expected number/) });
  });

  it('refuses unknown keys rather than ignoring a typo', () => {
    const issues = issuesOf(() => resolveConfig({ guidance: { rateHZ: 5 } }));
    expect(issues).toEqual([{ path: 'guidance', reason: 'Unrecognized key: "rateHZ"' }]);
  });

  it('switches the world variant whole: a grid spec carries no lake fields', () => {
    const c = resolveConfig({ sim: { world: { kind: 'grid', file: 'bottom.npy', cellSizeM: 2 } } });
    expect(c.sim.world).toEqual({ kind: 'grid', file: 'bottom.npy', cellSizeM: 2 });
    const issues = issuesOf(() => resolveConfig({ sim: { world: { kind: 'grid' } } }));
    expect(issues[0].path).toBe('sim.world.file');
    expect(issuesOf(() => resolveConfig({ sim: { world: { kind: 'ocean' } } }))[0].path).toBe('sim.world.kind');
  });

  it('checks every scheduled fault', () => {
    expect(resolveConfig({ sim: { faults: [{ kind: 'gnssJump', atS: 10, severity: 20 }] } }).sim.faults).toHaveLength(1);
    const issues = issuesOf(() => resolveConfig({ sim: { faults: [{ kind: 'gnssJump', atS: 10 }, { kind: 'meteor', atS: -1 }] } }));
    expect(issues.map((i) => i.path).sort()).toEqual(['sim.faults.1.atS', 'sim.faults.1.kind']);
  });

  it('takes nullable settings as null or a number, nothing else', () => {
    expect(resolveConfig({ sim: { disturbance: { currentDirectionDeg: 90 } } }).sim.disturbance.currentDirectionDeg).toBe(90);
    expect(issuesOf(() => resolveConfig({ sim: { disturbance: { currentDirectionDeg: 'east' } } }))[0].path).toBe(
      'sim.disturbance.currentDirectionDeg',
    );
  });

  it('loads YAML and JSON files, and names the file in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coxswain-config-'));
    const yaml = join(dir, 'boat.yaml');
    writeFileSync(yaml, 'survey:\n  laneSpacingM: 12\nlog:\n  level: warn\n');
    expect(loadConfigFile(yaml).survey.laneSpacingM).toBe(12);
    const json = join(dir, 'boat.json');
    writeFileSync(json, JSON.stringify({ actuators: { commandTimeoutS: 0 } }));
    expect(() => loadConfigFile(json)).toThrow(/boat\.json[\s\S]*actuators\.commandTimeoutS/);
    expect(() => loadConfigFile(join(dir, 'missing.yaml'))).toThrow(/cannot read file/);
    writeFileSync(yaml, 'survey: [unclosed');
    expect(() => loadConfigFile(yaml)).toThrow(/not valid YAML/);
  });
});
