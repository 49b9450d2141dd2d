/**
 * The statistics chart (issue 14): the one place that knows the chart library. It draws `options` (a
 * pure function's output, admin/utils/chart.ts) with uCharts on a `<canvas type="2d">`, sized to the
 * canvas's box at the screen's pixel ratio, again whenever `options` change. Where the platform gives no
 * canvas node (an old WeChat, a test without a canvas) nothing is drawn and the page's table remains.
 */
import uCharts from '@qiun/ucharts/u-charts.min.js';
import { pixelRatio } from '../../../services/platform';

interface CanvasNode {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
}

interface Hit {
  node?: CanvasNode | null;
  width?: number;
  height?: number;
}

Component({
  properties: {
    options: { type: Object, value: {} },
    /** The chart's height in px; its width is the container's. */
    height: { type: Number, value: 240 },
    label: { type: String, value: '' },
  },
  data: {
    /** How many times it has drawn (0: never), for whoever must know it is on screen. */
    drawn: 0,
  },
  observers: {
    options() {
      this.draw();
    },
  },
  lifetimes: {
    ready() {
      this.draw();
    },
  },
  methods: {
    draw() {
      const options = this.data.options as Record<string, unknown>;
      if (!Array.isArray(options.series)) return;
      this.createSelectorQuery()
        .select('#chart-canvas')
        .fields({ node: true, size: true })
        .exec((res: unknown[]) => {
          const hit = res[0] as Hit | null | undefined;
          const canvas = hit?.node;
          if (!canvas || typeof canvas.getContext !== 'function' || !hit.width || !hit.height)
            return;
          const context = canvas.getContext('2d');
          if (!context) return;
          const pix = pixelRatio();
          canvas.width = Math.round(hit.width * pix);
          canvas.height = Math.round(hit.height * pix);
          // uCharts draws on the context it is given, in canvas pixels (`pix` scales its sizes).
          new uCharts({
            ...options,
            context,
            canvas2d: true,
            width: canvas.width,
            height: canvas.height,
            pix,
          });
          this.setData({ drawn: this.data.drawn + 1 });
        });
    },
  },
});
