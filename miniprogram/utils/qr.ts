/**
 * The QR pass as plain boxes: the module matrix of a text, each row as runs of dark and light modules, so
 * it renders with views on phones, in miniprogram-simulate and in a browser alike (no canvas).
 */
import qrcode from 'qrcode-generator';

export interface QrRun {
  dark: boolean;
  /** Modules in the run. */
  size: number;
}

export interface QrMatrix {
  /** Modules per side, the quiet zone included. */
  size: number;
  rows: QrRun[][];
}

/** Light modules around the symbol, as scanners need (ISO/IEC 18004 asks for 4). */
const QUIET = 4;

export function qrMatrix(text: string): QrMatrix {
  // Level M: readable when the phone screen is scratched or glaring, still few modules for a short token.
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const count = qr.getModuleCount();
  const size = count + QUIET * 2;
  const rows: QrRun[][] = [];
  for (let r = -QUIET; r < count + QUIET; r += 1) {
    const runs: QrRun[] = [];
    for (let c = -QUIET; c < count + QUIET; c += 1) {
      const dark = r >= 0 && r < count && c >= 0 && c < count && qr.isDark(r, c);
      const last = runs.length > 0 ? runs[runs.length - 1] : undefined;
      if (last && last.dark === dark) last.size += 1;
      else runs.push({ dark, size: 1 });
    }
    rows.push(runs);
  }
  return { size, rows };
}
