// Builds the fault detectors of a run, and scores their alarms against the injected faults.
import type { Config } from '../../config/index.ts';
import type { RuntimeNode } from '../node.ts';
import type { Logger } from '../log.ts';
import type { Report } from '../report.ts';
import { DetectorNode } from '../../anomaly/detector-node.ts';
import { loadDetectors } from '../../anomaly/load.ts';
import { scoreEvents } from '../../anomaly/evaluate.ts';

export interface InjectedFault {
  kind: string;
  onsetS: number;
  endS?: number;
}

export interface DetectorWiring {
  nodes: RuntimeNode[];
  /** report.json `anomaly`, undefined when detection is off. */
  report(faults: InjectedFault[], simTimeS: number): Report['anomaly'];
  /** The learned model is lost while running (chaos): the classical detectors take over. */
  loseModel(reason: string): void;
}

export function createDetector(config: Config, log: Logger): DetectorWiring {
  const o = config.detector;
  if (!o.enabled) return { nodes: [], report: () => undefined, loseModel: () => {} };
  const loaded = loadDetectors(o, log);
  log.info('fault detection', { backend: loaded.backend, model: loaded.backend === 'learned' ? o.modelPath : undefined });
  const node = new DetectorNode(
    'detector',
    config.vehicle,
    o.warmupS,
    loaded.set,
    { minM: o.sounderMinRangeM, maxM: o.sounderMaxRangeM },
    loaded.classical,
  );
  return {
    nodes: [node],
    loseModel: (reason) => node.fallBack(reason),
    report: (faults, simTimeS) => {
      const s = scoreEvents(faults, node.alarms, simTimeS);
      return {
        faults: faults.map((f) => ({ kind: f.kind, onsetS: f.onsetS })),
        alarms: node.alarms.map((a) => ({ kind: a.kind, atS: Math.round(a.atS * 1000) / 1000, score: a.score, severity: a.severity, detector: a.detector })),
        detected: s.detected,
        missed: s.missed,
        falseAlarms: s.falseAlarms,
        delaysS: s.delaysS,
      };
    },
  };
}
