// NumPy .npy reader (format documented in numpy/lib/format.py, "NEP 1"):
//   magic "\x93NUMPY", major and minor version bytes; header length as little-endian uint16
//   (version 1.0) or uint32 (2.0 and 3.0; 3.0 only allows UTF-8 in the header); then an ASCII
//   Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded with spaces
//   and ended by '\n' so that the data starts on a 64-byte boundary (16 in old files); then the
//   raw array. Reads every plain numeric dtype, either byte order, C or Fortran order, into
//   Float64Array in C (row-major) order.

export class NpyFormatError extends Error {
  override readonly name = 'NpyFormatError';
  constructor(
    message: string,
    /** Byte offset in the file where the problem was found. */
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
  }
}

export interface NpyArray {
  /** The dtype string as written, e.g. '<f8'. */
  dtype: string;
  shape: number[];
  fortranOrder: boolean;
  /** Values in C order (last index fastest). */
  data: Float64Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93 N U M P Y

type Reader = (view: DataView, offset: number, little: boolean) => number;

const READERS: Record<string, { size: number; read: Reader }> = {
  f8: { size: 8, read: (v, o, l) => v.getFloat64(o, l) },
  f4: { size: 4, read: (v, o, l) => v.getFloat32(o, l) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  b1: { size: 1, read: (v, o) => v.getUint8(o) },
  i2: { size: 2, read: (v, o, l) => v.getInt16(o, l) },
  u2: { size: 2, read: (v, o, l) => v.getUint16(o, l) },
  i4: { size: 4, read: (v, o, l) => v.getInt32(o, l) },
  u4: { size: 4, read: (v, o, l) => v.getUint32(o, l) },
  // 64-bit integers lose precision above 2^53; grids of depths never get there.
  i8: { size: 8, read: (v, o, l) => Number(v.getBigInt64(o, l)) },
  u8: { size: 8, read: (v, o, l) => Number(v.getBigUint64(o, l)) },
};

export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10) throw new NpyFormatError(`expected at least 10 bytes of header, found ${bytes.length}`, 0);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new NpyFormatError('expected the magic string \\x93NUMPY', i);
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyFormatError('truncated version 2/3 header length', 8);
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new NpyFormatError(`expected format version 1, 2 or 3, found ${major}.${bytes[7]}`, 6);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) throw new NpyFormatError(`header of ${headerLen} bytes runs past the end of the file`, 8);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));

  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(header);
  if (!descr) throw new NpyFormatError(`expected a 'descr' key in the header, found ${JSON.stringify(header.trim())}`, headerStart);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header);
  if (!fortran) throw new NpyFormatError("expected 'fortran_order': True or False in the header", headerStart);
  const shapeM = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeM) throw new NpyFormatError("expected a 'shape' tuple in the header", headerStart);
  const shape = shapeM[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw new NpyFormatError(`expected non-negative integer dimensions, found '${s}'`, headerStart);
      return n;
    });

  const dtype = descr[1];
  const order = dtype[0];
  const code = order === '<' || order === '>' || order === '|' || order === '=' ? dtype.slice(1) : dtype;
  const little = order !== '>';
  const reader = READERS[code];
  if (!reader) throw new NpyFormatError(`unsupported dtype '${dtype}' (expected a plain numeric dtype such as '<f8', '<f4', '<i2')`, headerStart);

  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * reader.size;
  if (bytes.length - dataStart < need) {
    throw new NpyFormatError(`expected ${need} bytes of data for shape (${shape.join(', ')}) of ${dtype}, found ${bytes.length - dataStart}`, dataStart);
  }
  const fortranOrder = fortran[1] === 'True';
  const data = new Float64Array(count);
  if (!fortranOrder || shape.length < 2) {
    for (let i = 0; i < count; i++) data[i] = reader.read(view, dataStart + i * reader.size, little);
  } else {
    // Fortran order: the first index varies fastest in the file. Map each file position to its C index.
    const cStride = new Array<number>(shape.length);
    cStride[shape.length - 1] = 1;
    for (let d = shape.length - 2; d >= 0; d--) cStride[d] = cStride[d + 1] * shape[d + 1];
    const idx = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < count; i++) {
      let c = 0;
      for (let d = 0; d < shape.length; d++) c += idx[d] * cStride[d];
      data[c] = reader.read(view, dataStart + i * reader.size, little);
      for (let d = 0; d < shape.length; d++) {
        if (++idx[d] < shape[d]) break;
        idx[d] = 0;
      }
    }
  }
  return { dtype, shape, fortranOrder, data };
}

/** Writes a C-order float64 .npy (version 1.0), for tests and for exporting simulated truth. */
export function encodeNpyF8(shape: readonly number[], data: ArrayLike<number>): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${dims}), }`;
  // Pad so that 10 + header length (with its '\n') is a multiple of 64, as numpy does.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.length * 8);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  for (let i = 0; i < data.length; i++) view.setFloat64(total + i * 8, data[i], true);
  return out;
}
