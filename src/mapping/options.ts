// Settings of the environment mapper.
import { z } from 'zod';
import type { Refinements } from '../config/derive.ts';

export interface MappingOptions {
  /** Learn a map from the soundings. */
  enabled: boolean;
  /** Inducing lattice rows (north) × columns (east); M = rows × cols. */
  inducingRows: number;
  inducingCols: number;
  /** RBF length scale, m. */
  lengthScaleM: number;
  /** Signal standard deviation of the depth field about its mean, m. */
  signalSigmaM: number;
  /** Observation noise standard deviation (sounder noise and position error), m. */
  noiseSigmaM: number;
  /** Reject a sounding whose innovation exceeds this many predictive sigmas (0: off). */
  outlierGateSigma: number;
  /** Soundings learned before the outlier test starts. */
  outlierWarmupSamples: number;
  /**
   * The inducing lattice is placed over the survey area; soundings outside it grow it (the
   * same M nodes spread wider) up to this span, m. Beyond, they are counted and not learned.
   */
  growMaxSpanM: number;
  /** Soundings per learn() batch. */
  batchSize: number;
  /** Rate at which the map grid is published, Hz. */
  publishRateHz: number;
  /** Cells of the published grid along its longer side. */
  gridCells: number;
  /** Transducer lever arm in the body frame (x forward, y starboard), m. */
  leverArmXM: number;
  leverArmYM: number;
  /** Transducer depth below the waterline, used when the sounder reports no offset, m. */
  transducerDepthM: number;
  /** Seconds between truth-RMSE checkpoints in simulated runs. */
  rmseEveryS: number;
  /**
   * Online hyperparameters (src/mapping/adaptive.ts): candidate length scales as factors of
   * lengthScaleM, each a model learning every batch; the signal and noise variances and the
   * serving length scale follow type-II maximum likelihood on everything learned.
   */
  adaptive: {
    enabled: boolean;
    lengthScaleFactors: number[];
    /** Bound evaluations (each O(M³/3)) per map publication: the search is spread over them. */
    evaluationsPerPublish: number;
    /** Samples before the first search. */
    minSamples: number;
  };
  /**
   * The map's kernel: 'rbf', stationary (with `adaptive`, a bank of length scales), or
   * 'attentive', non-stationary (src/mapping/attentive-gp.ts): RBF components of length scales
   * attentive.lengthScaleFactors × lengthScaleM, blended by a weight field over the area that is
   * learned online with the signal and noise variances (`adaptive` is then not used). Its
   * lattice stays over the survey area (growMaxSpanM does not apply; soundings outside it are
   * counted as beyond reach), and M = rows × cols may not exceed 1024.
   */
  kernel: 'rbf' | 'attentive';
  attentive: {
    lengthScaleFactors: number[];
    /** Side of the weight field's feature lattice (side² features per component). */
    featureSide: number;
    /** Adam steps of the kernel fit (each O(M³)) per map publication: the fit is spread over them. */
    stepsPerPublish: number;
    /** Samples before the first fit. */
    minSamples: number;
  };
}

export const DEFAULT_MAPPING_OPTIONS: MappingOptions = {
  enabled: true,
  inducingRows: 16,
  inducingCols: 16,
  lengthScaleM: 30,
  signalSigmaM: 5,
  noiseSigmaM: 0.5,
  outlierGateSigma: 5,
  outlierWarmupSamples: 200,
  growMaxSpanM: 5000,
  batchSize: 10,
  publishRateHz: 0.2,
  gridCells: 100,
  leverArmXM: 0,
  leverArmYM: 0,
  transducerDepthM: 0.1,
  rmseEveryS: 60,
  adaptive: {
    enabled: true,
    lengthScaleFactors: [0.5, 0.71, 1, 1.41, 2],
    evaluationsPerPublish: 3,
    minSamples: 300,
  },
  kernel: 'rbf',
  attentive: {
    lengthScaleFactors: [0.5, 1, 2],
    featureSide: 3,
    stepsPerPublish: 2,
    minSamples: 300,
  },
};

const positive = z.number().positive();
const count = z.number().int().min(1);

/** Ranges and enumerations, by path relative to the `mapping` section. */
export const MAPPING_REFINEMENTS: Refinements = {
  inducingRows: count.max(64),
  inducingCols: count.max(64),
  lengthScaleM: positive,
  signalSigmaM: positive,
  noiseSigmaM: positive,
  outlierGateSigma: z.number().min(0),
  outlierWarmupSamples: z.number().int().min(0),
  growMaxSpanM: z.number().min(0),
  batchSize: count.max(1024),
  publishRateHz: positive,
  gridCells: count.max(1000),
  transducerDepthM: z.number().min(0),
  rmseEveryS: positive,
  'adaptive.lengthScaleFactors': z.array(positive).min(1).max(9),
  'adaptive.evaluationsPerPublish': count.max(1000),
  'adaptive.minSamples': z.number().int().min(2),
  kernel: z.enum(['rbf', 'attentive']),
  'attentive.lengthScaleFactors': z.array(positive).min(1).max(9),
  'attentive.featureSide': count.max(8),
  'attentive.stepsPerPublish': count.max(1000),
  'attentive.minSamples': z.number().int().min(2),
};
