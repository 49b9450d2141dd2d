/**
 * The window's camera: `wx.scanCode` for the citizen's QR pass, which holds the booking's `passToken` and
 * nothing else (components/qr-pass). Only the camera and only QR codes: a photo from the album is not
 * someone standing at the window.
 */

export type ScanOutcome =
  | { ok: true; text: string }
  /** The person closed the scanner (`scanCode:fail cancel`): nothing to say. */
  | { ok: false; reason: 'cancel' }
  /** The scanner could not start (no camera permission, an old WeChat…): `errMsg` for the log only. */
  | { ok: false; reason: 'fail'; errMsg: string };

export function scanQr(): Promise<ScanOutcome> {
  return new Promise((resolve) => {
    if (typeof wx.scanCode !== 'function') {
      resolve({ ok: false, reason: 'fail', errMsg: 'scanCode:fail not supported' });
      return;
    }
    wx.scanCode({
      onlyFromCamera: true,
      scanType: ['qrCode'],
      success: (res) => {
        resolve({ ok: true, text: res.result });
      },
      fail: (err) => {
        const errMsg = typeof err.errMsg === 'string' ? err.errMsg : 'scanCode:fail';
        resolve(
          /cancel/.test(errMsg)
            ? { ok: false, reason: 'cancel' }
            : { ok: false, reason: 'fail', errMsg },
        );
      },
    });
  });
}
