/** The booking's QR pass for the window (a random token, never the ID number, R14). */
import { qrMatrix, type QrRun } from '../../utils/qr';

Component({
  properties: {
    token: { type: String, value: '' },
    label: { type: String, value: '预约二维码' },
    /** Nearly the screen's width, for the window's scanner (the enlarged pass). */
    large: { type: Boolean, value: false },
  },
  data: {
    rows: [] as QrRun[][],
    size: 0,
  },
  observers: {
    token(token: string) {
      if (!token) {
        this.setData({ rows: [], size: 0 });
        return;
      }
      const matrix = qrMatrix(token);
      this.setData({ rows: matrix.rows, size: matrix.size });
    },
  },
});
