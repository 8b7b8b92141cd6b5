// Builds the detectors a run asks for. The learned detector needs its ONNX model and sidecar;
// when either fails to load, the failure is logged as an error with its reason and the run
// continues with the classical detectors: never with no detector.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OnnxModel } from '../adapters/onnx.ts';
import type { Logger } from '../runtime/log.ts';
import { Chi2Gate, FeatureCusum, LearnedCusum } from './change.ts';
import type { DetectorSet } from './detector-node.ts';
import { FALLBACK_NORMALISATION } from './fallback.ts';
import { FEATURE_COUNT } from './graph.ts';
import type { DetectorOptions } from './options.ts';
import { parseSidecar, type Sidecar } from './sidecar.ts';

/** The package root: model paths in the configuration are relative to it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function modelPaths(modelPath: string): { onnx: string; sidecar: string } {
  const onnx = isAbsolute(modelPath) ? modelPath : resolve(PACKAGE_ROOT, modelPath);
  return { onnx, sidecar: onnx.replace(/\.onnx$/, '') + '.json' };
}

export function loadSidecar(path: string): Sidecar {
  return parseSidecar(readFileSync(path, 'utf8'), path);
}

export interface LoadedDetectors {
  set: DetectorSet;
  /** 'learned' or 'classical' (what actually runs). */
  backend: 'learned' | 'classical';
  /** Why the learned detector is not running, when it was asked for. */
  fallbackReason?: string;
  /** Builds the classical detectors, for a learned detector that fails while running. */
  classical: () => DetectorSet;
}

export function loadDetectors(o: DetectorOptions, log: Logger): LoadedDetectors {
  const paths = modelPaths(o.modelPath);
  let sidecar: Sidecar | undefined;
  let reason: string | undefined;
  try {
    sidecar = loadSidecar(paths.sidecar);
  } catch (error) {
    reason = `sidecar: ${(error as Error).message}`;
  }
  const norm = sidecar?.normalisation ?? FALLBACK_NORMALISATION;
  const classical = (): DetectorSet => ({
    cusum: new FeatureCusum(norm.mean, norm.std, sidecar?.thresholds.cusum.k ?? o.cusumK, sidecar?.thresholds.cusum.h ?? o.cusumH, o.rearmS),
    chi2: new Chi2Gate(norm.mean, norm.std, sidecar?.thresholds.chi2.threshold ?? o.chi2Threshold, o.chi2Consecutive, o.rearmS),
  });
  if (o.backend === 'classical') return { set: classical(), backend: 'classical', classical };
  if (sidecar) {
    try {
      const model = new OnnxModel(readFileSync(paths.onnx), sidecar.input.name, sidecar.output.name, FEATURE_COUNT, {
        executionProviders: o.executionProviders,
        intraOpNumThreads: 1,
      });
      const cusum = new LearnedCusum(
        sidecar.nodeScale,
        o.learnedCusumK ?? sidecar.thresholds.learned.cusumK,
        o.learnedCusumH ?? sidecar.thresholds.learned.cusumH,
        o.rearmS,
        o.learnedSpikeQ ?? sidecar.thresholds.learned.spikeQ,
      );
      return { set: { learned: { scorer: (raw, out) => model.run(raw, out), cusum } }, backend: 'learned', classical };
    } catch (error) {
      reason = `model ${paths.onnx}: ${(error as Error).message}`;
    }
  }
  log.error('learned detector failed to load; running the classical detectors (CUSUM, chi-square) instead', { reason });
  return { set: classical(), backend: 'classical', fallbackReason: reason, classical };
}
