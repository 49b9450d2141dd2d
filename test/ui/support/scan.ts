/**
 * The camera behind `wx.scanCode` in page tests: the test says what the next scan sees — a code's text,
 * the person closing the scanner (`scanCode:fail cancel`, as WeChat answers), or a scanner that cannot
 * start — and the page gets it a moment later through `success`/`fail`/`complete`, as on a phone.
 * State lives on `global`, shared by the setup file and the test file (see cloud.ts).
 */
export type ScanAnswer = { text: string } | 'cancel' | 'fail';

interface ScanState {
  next: ScanAnswer[];
}

const g = global as unknown as { __uiScan?: ScanState };

function state(): ScanState {
  g.__uiScan ??= { next: [] };
  return g.__uiScan;
}

/** What the next scans see, in order; a scan with nothing arranged is closed by the person. */
export function nextScan(...answers: ScanAnswer[]): void {
  state().next.push(...answers);
}

interface ScanOptions {
  onlyFromCamera?: boolean;
  scanType?: string[];
  success?: (res: Record<string, string>) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: () => void;
}

/** The bridge behind `wx.scanCode`. */
export function scanCode(options: ScanOptions): void {
  const answer = state().next.shift() ?? 'cancel';
  setTimeout(() => {
    if (answer === 'cancel') options.fail?.({ errMsg: 'scanCode:fail cancel' });
    else if (answer === 'fail') options.fail?.({ errMsg: 'scanCode:fail auth deny' });
    else {
      options.success?.({
        errMsg: 'scanCode:ok',
        result: answer.text,
        scanType: 'QR_CODE',
        charSet: 'UTF-8',
        rawData: Buffer.from(answer.text, 'utf8').toString('base64'),
      });
    }
    options.complete?.();
  }, 10);
}
