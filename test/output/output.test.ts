import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { trackToGeoJson } from '../../src/output/geojson.ts';
import { PLOT_COLOURS, niceScaleLengthM, renderSurveyPng, surveyPlotLayout } from '../../src/output/survey-png.ts';
import type { SurveyPlotInput } from '../../src/output/survey-png.ts';
import { formatSummaryTable, progressBar } from '../../src/output/console.ts';
import { LocalFrame } from '../../src/geo/index.ts';
import { planLawnmower } from '../../src/planning/lawnmower.ts';

const RECT = [
  { northM: 0, eastM: 0 },
  { northM: 200, eastM: 0 },
  { northM: 200, eastM: 300 },
  { northM: 0, eastM: 300 },
];

describe('trackToGeoJson', () => {
  const frame = new LocalFrame({ latDeg: 59.9, lonDeg: 10.7 });
  const track = [
    { latDeg: 59.9, lonDeg: 10.7, tS: 0 },
    { latDeg: 59.90001, lonDeg: 10.70002, tS: 1 },
    { latDeg: Number.NaN, lonDeg: 10.7, tS: 2 },
  ];

  it('writes the track as a LineString in [lon, lat] order with its times', () => {
    const fc = trackToGeoJson(track, { properties: { scenario: 'lake' } });
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0];
    // The NaN point is left out: two positions remain.
    expect(f.geometry).toEqual({ type: 'LineString', coordinates: [[10.7, 59.9], [10.70002, 59.90001]] });
    expect(f.properties).toMatchObject({ name: 'track', scenario: 'lake', startS: 0, endS: 1, coordTimes: [0, 1] });
  });

  it('adds the legs and a closed, counter-clockwise shoreline ring when given a frame', () => {
    const plan = planLawnmower(RECT);
    const fc = trackToGeoJson(track, { frame, plan, shoreline: RECT, estimatedTrack: track.slice(0, 1) });
    const names = fc.features.map((f) => f.properties.name);
    expect(names.filter((n) => n === 'leg')).toHaveLength(plan.legs.length);
    // One estimated fix is a Point, not a one-position LineString (RFC 7946 §3.1.4).
    expect(fc.features[1].geometry.type).toBe('Point');
    const shore = fc.features.at(-1)!;
    expect(shore.geometry.type).toBe('Polygon');
    const ring = (shore.geometry as { coordinates: number[][][] }).coordinates[0];
    expect(ring).toHaveLength(5);
    expect(ring[0]).toEqual(ring[4]);
    // Shoelace in (lon, lat): positive for counter-clockwise.
    let twice = 0;
    for (let i = 1; i < ring.length; i++) twice += ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1];
    expect(twice).toBeGreaterThan(0);
    // The local corner (200 N, 300 E) is north-east of the origin.
    const ne = frame.toGeo({ northM: 200, eastM: 300 });
    expect(ring.some(([lon, lat]) => Math.abs(lon - ne.lonDeg) < 1e-7 && Math.abs(lat - ne.latDeg) < 1e-7)).toBe(true);
  });
});

describe('renderSurveyPng', () => {
  const bounds = { minNorthM: -20, maxNorthM: 220, minEastM: -20, maxEastM: 320 };
  const trueTrack = Array.from({ length: 101 }, (_, i) => ({ northM: 100, eastM: 3 * i }));
  const input: SurveyPlotInput = {
    bounds,
    depthAt: (n, e) => 2 + (8 * e) / 300 + n / 100,
    shoreline: RECT,
    plan: planLawnmower(RECT),
    trueTrack,
    estimatedTrack: trueTrack.map((p) => ({ northM: p.northM + 5, eastM: p.eastM })),
  };

  it('decodes to the size of its layout, long side as configured', () => {
    const png = PNG.sync.read(renderSurveyPng(input));
    const layout = surveyPlotLayout(bounds);
    // 340 m east by 240 m north at 720 px on the long side: 720 x 508 plot, + 2 x 40 margin + 100 legend.
    expect(layout.pxPerM).toBeCloseTo(720 / 340, 12);
    expect([png.width, png.height]).toEqual([720 + 80 + 100, Math.round(240 * (720 / 340)) + 80]);
    expect([png.width, png.height]).toEqual([layout.widthPx, layout.heightPx]);
  });

  it('draws the true track in its colour where it projects, and land outside the shore', () => {
    const png = PNG.sync.read(renderSurveyPng(input));
    const layout = surveyPlotLayout(bounds);
    const at = (n: number, e: number): number[] => {
      const [x, y] = layout.toPixel(n, e).map(Math.round);
      const i = 4 * (y * png.width + x);
      return [png.data[i], png.data[i + 1], png.data[i + 2]];
    };
    expect(at(100, 150)).toEqual([...PLOT_COLOURS.trueTrack]);
    expect(at(105, 150)).toEqual([...PLOT_COLOURS.estimatedTrack]);
    expect(at(-10, 150)).toEqual([...PLOT_COLOURS.land]);
    // Water away from lines is neither land nor a track colour.
    const water = at(130, 40);
    expect(water).not.toEqual([...PLOT_COLOURS.land]);
    expect(water).not.toEqual([...PLOT_COLOURS.trueTrack]);
  });

  it('picks a round scale-bar length near a quarter of the width', () => {
    expect(niceScaleLengthM(340)).toBe(50); // 85 -> 50
    expect(niceScaleLengthM(1000)).toBe(200); // 250 -> 200
    expect(niceScaleLengthM(4)).toBe(1);
  });
});

describe('console helpers', () => {
  it('draws a progress bar of the given width', () => {
    const s = progressBar(0.5, 812.34, 63.24, 10);
    expect(s).toBe('[=====>    ]  50.0 %  t 812.3 s  x 63.2');
    expect(progressBar(1, 10, 1, 10).startsWith('[==========]')).toBe(true);
    expect(progressBar(Number.NaN, 0, 0, 4).startsWith('[    ]')).toBe(true);
  });

  it('aligns the summary table in fixed-width columns', () => {
    const table = formatSummaryTable([
      ['scenario', 'lake'],
      ['simTimeS', 2010.5],
      ['crossTrackRmsM', 0.04],
      ['geofenceViolations', 0],
      ['positionRmseM', Number.NaN],
    ]);
    const lines = table.split('\n');
    expect(lines).toEqual([
      '+--------------------+---------+',
      '| scenario           | lake    |',
      '| simTimeS           | 2010.50 |',
      '| crossTrackRmsM     |    0.04 |',
      '| geofenceViolations |       0 |',
      '| positionRmseM      |     n/a |',
      '+--------------------+---------+',
    ]);
  });
});
