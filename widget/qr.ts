// The QR encoder, in a chunk of its own: only a checkout that shows a QR string loads it.
import { encode } from 'uqr';

export interface QrDrawing {
  /** Side of the square, in modules (quiet zone included). */
  size: number;
  /** SVG path data: one unit square per dark module. */
  d: string;
}

/** `text` as a QR code (error correction M, the standard 4-module quiet zone), as SVG path data. */
export function drawQr(text: string): QrDrawing {
  const { size, data } = encode(text, { ecc: 'M', border: 4 });
  let d = '';
  data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
  return { size, d };
}
