// A tiny RGBA rasteriser for the run plots: pixels, thick lines (Bresenham with a square
// brush, so the colours stay exact and testable; no anti-aliasing), discs, rectangles and a
// 5-pixel-high bitmap font for numbers and units. No dependencies.

export type Rgb = readonly [number, number, number];

export class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      this.data[4 * i] = background[0];
      this.data[4 * i + 1] = background[1];
      this.data[4 * i + 2] = background[2];
      this.data[4 * i + 3] = 255;
    }
  }

  /** Sets one pixel; coordinates off the canvas are ignored. */
  set(x: number, y: number, c: Rgb): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const i = 4 * (yi * this.width + xi);
    this.data[i] = c[0];
    this.data[i + 1] = c[1];
    this.data[i + 2] = c[2];
    this.data[i + 3] = 255;
  }

  get(x: number, y: number): [number, number, number] {
    const i = 4 * (Math.round(y) * this.width + Math.round(x));
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }

  fillRect(x0: number, y0: number, w: number, h: number, c: Rgb): void {
    for (let y = Math.round(y0); y < Math.round(y0 + h); y++) for (let x = Math.round(x0); x < Math.round(x0 + w); x++) this.set(x, y, c);
  }

  /** A line `thickness` pixels wide, end points included. Non-finite ends draw nothing. */
  line(x0: number, y0: number, x1: number, y1: number, c: Rgb, thickness = 1): void {
    if (![x0, y0, x1, y1].every(Number.isFinite)) return;
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xe = Math.round(x1);
    const ye = Math.round(y1);
    // Far off-canvas lines (a bad point) are not worth millions of steps.
    const limit = 4 * (this.width + this.height);
    if (Math.abs(xe - x) > limit || Math.abs(ye - y) > limit) return;
    const dx = Math.abs(xe - x);
    const dy = -Math.abs(ye - y);
    const sx = x < xe ? 1 : -1;
    const sy = y < ye ? 1 : -1;
    let err = dx + dy;
    const lo = -Math.floor((thickness - 1) / 2);
    const hi = lo + thickness - 1;
    for (;;) {
      for (let oy = lo; oy <= hi; oy++) for (let ox = lo; ox <= hi; ox++) this.set(x + ox, y + oy, c);
      if (x === xe && y === ye) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y += sy;
      }
    }
  }

  /** A polyline through the points, in pixels. */
  polyline(points: ReadonlyArray<readonly [number, number]>, c: Rgb, thickness = 1, closed = false): void {
    for (let i = 1; i < points.length; i++) this.line(points[i - 1][0], points[i - 1][1], points[i][0], points[i][1], c, thickness);
    if (closed && points.length > 2) {
      const a = points[points.length - 1];
      this.line(a[0], a[1], points[0][0], points[0][1], c, thickness);
    }
  }

  disc(cx: number, cy: number, r: number, c: Rgb): void {
    for (let y = Math.floor(cy - r); y <= Math.ceil(cy + r); y++) {
      for (let x = Math.floor(cx - r); x <= Math.ceil(cx + r); x++) {
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) this.set(x, y, c);
      }
    }
  }

  /** Text in the built-in font, `scale` pixels per font pixel; returns the width drawn. */
  text(x: number, y: number, s: string, c: Rgb, scale = 2): number {
    let cx = Math.round(x);
    for (const ch of s) {
      const glyph = GLYPHS[ch] ?? GLYPHS['?'];
      for (let row = 0; row < glyph.length; row++) {
        for (let col = 0; col < glyph[row].length; col++) {
          if (glyph[row][col] === '1') this.fillRect(cx + col * scale, y + row * scale, scale, scale, c);
        }
      }
      cx += (glyph[0].length + 1) * scale;
    }
    return cx - Math.round(x);
  }
}

/** Width in pixels of `s` drawn by `Raster.text` at `scale`. */
export function textWidth(s: string, scale = 2): number {
  let w = 0;
  for (const ch of s) w += ((GLYPHS[ch] ?? GLYPHS['?'])[0].length + 1) * scale;
  return w;
}

// 5-row glyphs, drawn for this project; '1' is ink.
const GLYPHS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '001', '001', '001'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '.': ['0', '0', '0', '0', '1'],
  '-': ['000', '000', '111', '000', '000'],
  ' ': ['00', '00', '00', '00', '00'],
  m: ['00000', '00000', '11110', '10101', '10101'],
  k: ['100', '101', '110', '101', '101'],
  '?': ['111', '001', '011', '000', '010'],
};
