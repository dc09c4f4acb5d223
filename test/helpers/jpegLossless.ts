// A small JPEG lossless encoder (ITU T.81 process 14, first-order prediction,
// as DICOM's transfer syntax 1.2.840.10008.1.2.4.70 asks) for test images:
// one 16-bit component, one Huffman table in which every difference category
// has a 5-bit code. Not efficient; exact, which is what a test needs.

const precision = 16;
const categories = 17; // difference categories 0…16
const codeLength = 5;

class BitWriter {
  readonly #bytes: number[] = [];
  #current = 0;
  #filled = 0;

  write(value: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.#current = (this.#current << 1) | ((value >> bit) & 1);
      if (++this.#filled === 8) this.#flushByte();
    }
  }

  /** Pads the last byte with ones, as T.81 asks. */
  finish(): number[] {
    while (this.#filled !== 0) this.write(1, 1);
    return this.#bytes;
  }

  #flushByte(): void {
    this.#bytes.push(this.#current);
    if (this.#current === 0xff) this.#bytes.push(0x00); // byte stuffing
    this.#current = 0;
    this.#filled = 0;
  }
}

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

/** Encodes `samples` (rows × columns unsigned 16-bit values, row by row) as a lossless JPEG stream. */
export function encodeJpegLossless(samples: ArrayLike<number>, rows: number, columns: number): Buffer {
  const bits = new BitWriter();
  const at = (row: number, column: number): number => (samples[row * columns + column] ?? 0) & 0xffff;
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      // First sample: half the range; first row: the left neighbour; first column: the one above; else predictor 1 (left).
      const predicted = row === 0 && column === 0 ? 1 << (precision - 1) : column === 0 ? at(row - 1, 0) : at(row, column - 1);
      let difference = (at(row, column) - predicted) & 0xffff;
      if (difference === 0x8000) {
        bits.write(16, codeLength); // category 16 carries no extra bits
        continue;
      }
      if (difference > 0x8000) difference -= 0x10000;
      const category = difference === 0 ? 0 : Math.floor(Math.log2(Math.abs(difference))) + 1;
      bits.write(category, codeLength);
      if (category > 0) bits.write(difference > 0 ? difference : difference + (1 << category) - 1, category);
    }
  }

  const codeCounts = Array.from({ length: 16 }, (_, index) => (index + 1 === codeLength ? categories : 0));
  const huffmanTable = segment(0xc4, [0x00, ...codeCounts, ...Array.from({ length: categories }, (_, symbol) => symbol)]);
  const frameHeader = segment(0xc3, [precision, rows >> 8, rows & 0xff, columns >> 8, columns & 0xff, 1, 1, 0x11, 0]);
  const scanHeader = segment(0xda, [1, 1, 0x00, 1 /* predictor */, 0, 0 /* point transform */]);
  return Buffer.from([0xff, 0xd8, ...huffmanTable, ...frameHeader, ...scanHeader, ...bits.finish(), 0xff, 0xd9]);
}
