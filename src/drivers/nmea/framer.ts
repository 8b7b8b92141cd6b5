// Line framing for NMEA 0183 and VectorNav ASCII byte streams.
//
// Push bytes in, pull frames out (the shape of foxglove/mcap's McapStreamReader): `push()` only
// queues, `next()` scans until it can return one frame or needs more bytes. Real captures mix
// CRLF and LF, carry `#` comment lines, interleave binary frames (u-blox UBX) with text, and
// sometimes cut a sentence short by starting the next one on the same line; the framer deals
// with all of these without throwing:
//  - a sentence starts at '$' or '!' and ends at CR or LF;
//  - a '$' or '!' inside a sentence ends the cut-short fragment (dropped as 'spliced') and
//    starts a new sentence;
//  - a byte that is not printable ASCII inside a sentence drops it ('binary');
//  - a sentence longer than `maxLineLength` is dropped ('overlong') and the rest of its line
//    skipped;
//  - a line starting with '#' is a comment and skipped; other bytes outside sentences are
//    counted as garbage and skipped.

export type DropReason = 'spliced' | 'binary' | 'overlong';

export type Frame =
  /** A complete line from its start character up to (not including) CR/LF. */
  | { kind: 'line'; text: string; offset: number }
  /** A candidate sentence that could not be completed; `text` holds what was kept of it. */
  | { kind: 'dropped'; reason: DropReason; text: string; offset: number };

const enum State {
  /** Between sentences, at the start of a line. */
  LineStart,
  /** Between sentences, inside a line of garbage. */
  Garbage,
  Comment,
  Sentence,
  /** Skipping the rest of an overlong line. */
  SkipLine,
}

const CR = 0x0d;
const LF = 0x0a;
const DOLLAR = 0x24;
const BANG = 0x21;
const HASH = 0x23;

export class LineFramer {
  private readonly buf: Uint8Array;
  private len = 0;
  private state = State.LineStart;
  private readonly queue: Uint8Array[] = [];
  private chunkPos = 0;
  /** Stream offset of the next byte to scan. */
  private offset = 0;
  private startOffset = 0;
  /** Bytes outside any sentence or comment (binary frames, stray text). */
  garbageBytes = 0;

  constructor(readonly maxLineLength: number) {
    this.buf = new Uint8Array(Math.max(16, maxLineLength));
  }

  push(bytes: Uint8Array): void {
    if (bytes.length > 0) this.queue.push(bytes);
  }

  /** Bytes queued but not yet scanned, plus those of a sentence in progress. */
  get pendingBytes(): number {
    let n = this.len;
    for (let i = 0; i < this.queue.length; i++) n += this.queue[i].length - (i === 0 ? this.chunkPos : 0);
    return n;
  }

  next(): Frame | undefined {
    while (this.queue.length > 0) {
      const chunk = this.queue[0];
      while (this.chunkPos < chunk.length) {
        const b = chunk[this.chunkPos++];
        const frame = this.step(b);
        this.offset++;
        if (frame) return frame;
      }
      this.queue.shift();
      this.chunkPos = 0;
    }
    return undefined;
  }

  /**
   * Ends the stream: a sentence still in progress (a capture whose last line lacks a newline)
   * is returned as a line.
   */
  flush(): Frame | undefined {
    const frame = this.next();
    if (frame) return frame;
    if (this.state === State.Sentence && this.len > 0) {
      this.state = State.LineStart;
      return this.emitLine();
    }
    return undefined;
  }

  private step(b: number): Frame | undefined {
    switch (this.state) {
      case State.Sentence:
        if (b === CR || b === LF) {
          this.state = State.LineStart;
          return this.emitLine();
        }
        if (b === DOLLAR || b === BANG) {
          const dropped = this.emitDropped('spliced');
          this.begin(b);
          return dropped;
        }
        if (b < 0x20 || b > 0x7e) {
          this.state = State.Garbage;
          this.garbageBytes++;
          return this.emitDropped('binary');
        }
        if (this.len >= this.maxLineLength) {
          this.state = State.SkipLine;
          return this.emitDropped('overlong');
        }
        this.buf[this.len++] = b;
        return undefined;
      case State.SkipLine:
        if (b === CR || b === LF) this.state = State.LineStart;
        else if (b === DOLLAR || b === BANG) this.begin(b);
        return undefined;
      case State.Comment:
        if (b === CR || b === LF) this.state = State.LineStart;
        return undefined;
      case State.LineStart:
      case State.Garbage:
        if (b === DOLLAR || b === BANG) this.begin(b);
        else if (b === CR || b === LF) this.state = State.LineStart;
        else if (b === HASH && this.state === State.LineStart) this.state = State.Comment;
        else {
          this.state = State.Garbage;
          this.garbageBytes++;
        }
        return undefined;
    }
  }

  private begin(b: number): void {
    this.state = State.Sentence;
    this.buf[0] = b;
    this.len = 1;
    this.startOffset = this.offset;
  }

  private text(): string {
    // Only printable ASCII reaches the buffer, so char codes are the text.
    return String.fromCharCode.apply(null, this.buf.subarray(0, this.len) as unknown as number[]);
  }

  private emitLine(): Frame {
    const frame: Frame = { kind: 'line', text: this.text(), offset: this.startOffset };
    this.len = 0;
    return frame;
  }

  private emitDropped(reason: DropReason): Frame {
    const frame: Frame = { kind: 'dropped', reason, text: this.text(), offset: this.startOffset };
    this.len = 0;
    return frame;
  }
}
