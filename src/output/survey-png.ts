// The run's map image: depth as a colour map, the shoreline, the survey lanes, the true and
// estimated tracks, start and end markers, a scale bar and a depth legend. North is up, east
// is right, one scale for both axes. Encoded with pngjs; everything else is drawn here.
import { PNG } from 'pngjs';
import type { NePoint } from '../planning/geometry.ts';
import { pointInPolygonNe } from '../planning/geometry.ts';
import type { SurveyPlan } from '../planning/plan.ts';
import type { Rgb } from './raster.ts';
import { Raster } from './raster.ts';

export interface PlotBounds {
  minNorthM: number;
  maxNorthM: number;
  minEastM: number;
  maxEastM: number;
}

export interface SurveyPlotInput {
  /** The area shown, in the local frame. */
  bounds: PlotBounds;
  /** Depth at a point; NaN where there is none (land, unknown). */
  depthAt?: (northM: number, eastM: number) => number;
  /** Colour-map range; by default the range of the depths drawn. */
  depthRangeM?: [number, number];
  /** Shoreline polygon: outside it is drawn as land. */
  shoreline?: NePoint[];
  plan?: SurveyPlan;
  trueTrack?: NePoint[];
  estimatedTrack?: NePoint[];
}

export interface SurveyPlotOptions {
  /** Pixels on the long side of the plot area (margins and legend come on top). */
  longSidePx: number;
  /** Margin around the plot area, for the scale bar. */
  marginPx: number;
  /** Extra room on the right for the depth legend. */
  legendPx: number;
}

export const DEFAULT_SURVEY_PLOT_OPTIONS: Readonly<SurveyPlotOptions> = Object.freeze({
  longSidePx: 720,
  marginPx: 40,
  legendPx: 100,
});

export const PLOT_COLOURS = Object.freeze({
  background: [255, 255, 255] as Rgb,
  land: [222, 208, 180] as Rgb,
  shoreline: [40, 40, 40] as Rgb,
  lane: [160, 160, 160] as Rgb,
  trueTrack: [0, 80, 255] as Rgb,
  estimatedTrack: [255, 140, 0] as Rgb,
  start: [0, 170, 0] as Rgb,
  end: [220, 0, 0] as Rgb,
  ink: [0, 0, 0] as Rgb,
});

export interface SurveyPlotLayout {
  widthPx: number;
  heightPx: number;
  pxPerM: number;
  /** Pixel (x right, y down) of a point of the local frame. */
  toPixel(northM: number, eastM: number): [number, number];
}

export function surveyPlotLayout(bounds: PlotBounds, options: SurveyPlotOptions = DEFAULT_SURVEY_PLOT_OPTIONS): SurveyPlotLayout {
  const spanN = Math.max(1e-6, bounds.maxNorthM - bounds.minNorthM);
  const spanE = Math.max(1e-6, bounds.maxEastM - bounds.minEastM);
  const pxPerM = options.longSidePx / Math.max(spanN, spanE);
  const plotW = Math.max(1, Math.round(spanE * pxPerM));
  const plotH = Math.max(1, Math.round(spanN * pxPerM));
  const m = options.marginPx;
  return {
    widthPx: plotW + 2 * m + options.legendPx,
    heightPx: plotH + 2 * m,
    pxPerM,
    toPixel: (northM, eastM) => [m + (eastM - bounds.minEastM) * pxPerM, m + (bounds.maxNorthM - northM) * pxPerM],
  };
}

// Viridis (van der Walt & Smith, matplotlib 2.0) at five stops; shallow water is bright.
const VIRIDIS: Rgb[] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** Colour of a depth: the shallow end of the range bright yellow, the deep end dark violet. */
export function depthColour(depthM: number, minM: number, maxM: number): Rgb {
  const t = maxM > minM ? Math.min(1, Math.max(0, (depthM - minM) / (maxM - minM))) : 0;
  const u = (1 - t) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** Draws the plot and encodes it as a PNG. */
export function renderSurveyPng(input: SurveyPlotInput, options: SurveyPlotOptions = DEFAULT_SURVEY_PLOT_OPTIONS): Buffer {
  const layout = surveyPlotLayout(input.bounds, options);
  const img = new Raster(layout.widthPx, layout.heightPx, PLOT_COLOURS.background);
  const m = options.marginPx;
  const plotW = layout.widthPx - 2 * m - options.legendPx;
  const plotH = layout.heightPx - 2 * m;
  const b = input.bounds;

  const range = drawDepth(img, input, layout, m, plotW, plotH);

  const px = (p: NePoint): [number, number] => layout.toPixel(p.northM, p.eastM);
  for (const leg of input.plan?.legs ?? []) {
    if (leg.kind !== 'lane') continue;
    const [x0, y0] = layout.toPixel(leg.fromNorthM, leg.fromEastM);
    const [x1, y1] = layout.toPixel(leg.toNorthM, leg.toEastM);
    img.line(x0, y0, x1, y1, PLOT_COLOURS.lane, 1);
  }
  if (input.shoreline && input.shoreline.length >= 3) img.polyline(input.shoreline.map(px), PLOT_COLOURS.shoreline, 2, true);
  if (input.estimatedTrack) img.polyline(input.estimatedTrack.map(px), PLOT_COLOURS.estimatedTrack, 2);
  if (input.trueTrack) img.polyline(input.trueTrack.map(px), PLOT_COLOURS.trueTrack, 2);

  const track = input.trueTrack?.length ? input.trueTrack : input.estimatedTrack;
  if (track && track.length > 0) {
    const [sx, sy] = px(track[0]);
    img.disc(sx, sy, 5, PLOT_COLOURS.start);
    const [ex, ey] = px(track[track.length - 1]);
    img.fillRect(ex - 4, ey - 4, 9, 9, PLOT_COLOURS.end);
  }

  // Frame round the plot area.
  img.polyline([[m - 1, m - 1], [m + plotW, m - 1], [m + plotW, m + plotH], [m - 1, m + plotH]], PLOT_COLOURS.ink, 1, true);
  drawScaleBar(img, layout.pxPerM, b.maxEastM - b.minEastM, m, m + plotH + 12);
  if (range) drawLegend(img, range[0], range[1], m + plotW + 14, m, Math.min(plotH, 240));
  return PNG.sync.write(Object.assign(new PNG({ width: img.width, height: img.height }), { data: Buffer.from(img.data.buffer) }));
}

const WATER_NO_DEPTH: Rgb = [205, 225, 240];

function drawDepth(
  img: Raster,
  input: SurveyPlotInput,
  layout: SurveyPlotLayout,
  m: number,
  plotW: number,
  plotH: number,
): [number, number] | undefined {
  const depthAt = input.depthAt;
  const shore = input.shoreline && input.shoreline.length >= 3 ? input.shoreline : undefined;
  const b = input.bounds;
  // NaN marks land; -Infinity water with no depth to show.
  const values = new Float64Array(plotW * plotH);
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = 0; y < plotH; y++) {
    const northM = b.maxNorthM - (y + 0.5) / layout.pxPerM;
    for (let x = 0; x < plotW; x++) {
      const eastM = b.minEastM + (x + 0.5) / layout.pxPerM;
      let v: number;
      if (shore && !pointInPolygonNe(northM, eastM, shore)) v = Number.NaN;
      else if (!depthAt) v = -Infinity;
      else {
        v = depthAt(northM, eastM);
        if (Number.isFinite(v)) {
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        } else v = Number.NaN;
      }
      values[y * plotW + x] = v;
    }
  }
  const range: [number, number] | undefined = input.depthRangeM ?? (lo <= hi ? [lo, hi] : undefined);
  for (let y = 0; y < plotH; y++) {
    for (let x = 0; x < plotW; x++) {
      const v = values[y * plotW + x];
      const c = Number.isNaN(v) ? PLOT_COLOURS.land : v === -Infinity || !range ? WATER_NO_DEPTH : depthColour(v, range[0], range[1]);
      img.set(m + x, m + y, c);
    }
  }
  return range;
}

/** A round length (1, 2 or 5 x 10^k m) about a quarter of the plot's width. */
export function niceScaleLengthM(widthM: number): number {
  const target = Math.max(1e-3, widthM / 4);
  const p = 10 ** Math.floor(Math.log10(target));
  for (const k of [5, 2, 1]) if (k * p <= target) return k * p;
  return p;
}

function formatMetres(m: number): string {
  if (m >= 1000) return `${+(m / 1000).toFixed(2)} km`;
  return `${+m.toFixed(m < 10 ? 1 : 0)} m`;
}

function drawScaleBar(img: Raster, pxPerM: number, widthM: number, x: number, y: number): void {
  const lengthM = niceScaleLengthM(widthM);
  const len = lengthM * pxPerM;
  img.fillRect(x, y, len, 3, PLOT_COLOURS.ink);
  img.fillRect(x, y - 4, 2, 11, PLOT_COLOURS.ink);
  img.fillRect(x + len - 2, y - 4, 2, 11, PLOT_COLOURS.ink);
  img.text(x + len + 8, y - 3, formatMetres(lengthM), PLOT_COLOURS.ink, 2);
}

function drawLegend(img: Raster, minM: number, maxM: number, x: number, y: number, h: number): void {
  const barW = 16;
  for (let i = 0; i < h; i++) {
    const d = minM + ((maxM - minM) * i) / Math.max(1, h - 1);
    img.fillRect(x, y + i, barW, 1, depthColour(d, minM, maxM));
  }
  img.polyline([[x - 1, y - 1], [x + barW, y - 1], [x + barW, y + h], [x - 1, y + h]], PLOT_COLOURS.ink, 1, true);
  const label = (d: number): string => `${d.toFixed(Math.abs(maxM - minM) < 10 ? 1 : 0)} m`;
  // Shallow at the top, deep at the bottom, like a sounding.
  img.text(x + barW + 4, y, label(minM), PLOT_COLOURS.ink, 2);
  img.text(x + barW + 4, y + h - 10, label(maxM), PLOT_COLOURS.ink, 2);
}
