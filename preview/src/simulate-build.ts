/**
 * miniprogram-simulate's browser build (`build.js`, webpack, sets `window.simulate`), served with two
 * corrections where it differs from WeChat (each checked to apply exactly, so that a new version of the
 * package fails loudly here instead of rendering differently):
 *
 * - simulate and j-component turn `Nrpx` into `Npx`, a phone twice as wide as a real one. The preview's
 *   stylesheets are converted on the server (wxss.ts); what is left is inline styles set by templates
 *   (`style="font-size: 48rpx"`), converted here for the screen's width (0.5 px per rpx on a phone).
 * - j-component answers `getRelationNodes` with `null` for a relation with nothing on the other side,
 *   where WeChat answers `[]`; Vant's checkbox outside a checkbox group reads `[0]` of it.
 *   (test/ui/setup.ts makes the same correction for the jsdom tests.)
 * - j-component keeps a template's `id` on its own node only; WeChat renders it, and
 *   `wx.pageScrollTo({ selector: '#…' })` and `createSelectorQuery` find elements by it. The id is
 *   reflected to the element.
 * - j-component's selector query ignores `fields({ node: true })`; WeChat answers a `<canvas
 *   type="2d">`'s Canvas node (null for other elements). The preview's canvas built-in
 *   (web/frame/builtins.ts) keeps its node on its element, which the query now answers.
 */
import fs from 'node:fs';
import { SCREEN_WIDTH } from './wxss';

const BUILD = require.resolve('miniprogram-simulate/build.js');

interface Correction {
  find: string;
  replace: string;
  count: number;
}

const corrections = (screenWidth: number): Correction[] => [
  {
    find: "style.replace(/(\\d+)rpx/ig, '$1px')",
    replace: `style.replace(/(\\d+(?:\\.\\d+)?)rpx/ig, function (_, n) { return (Number(n) * ${screenWidth / 750}) + 'px' })`,
    count: 2,
  },
  {
    find: 'if (!path || !relationKey) return null',
    replace: 'if (!path || !relationKey) return []',
    count: 1,
  },
  { find: 'if (!id) return null\n', replace: 'if (!id) return []\n', count: 1 },
  { find: 'if (!res) return null\n', replace: 'if (!res) return []\n', count: 1 },
  {
    find: "      exparserNode[name] = value || ''\n",
    replace:
      "      exparserNode[name] = value || ''\n" +
      "      if (name === 'id' && exparserNode.$$) { if (value) exparserNode.$$.id = value; else exparserNode.$$.removeAttribute('id') }\n",
    count: 1,
  },
  {
    find: '            if (fields.properties) {\n',
    replace:
      '            if (fields.node) {\n' +
      '              itemRes.node = (node.$$ && node.$$.__previewNode) || null\n' +
      '            }\n' +
      '            if (fields.properties) {\n',
    count: 1,
  },
];

/** The build for a screen `screenWidth` px wide (the phone's 375, a tablet's 1024). */
export function simulateBuild(screenWidth = SCREEN_WIDTH): string {
  let source = fs.readFileSync(BUILD, 'utf8');
  for (const c of corrections(screenWidth)) {
    const parts = source.split(c.find);
    if (parts.length - 1 !== c.count) {
      throw new Error(
        `miniprogram-simulate's build.js has ${parts.length - 1} of "${c.find}" where the preview ` +
          `expects ${c.count}: update preview/src/simulate-build.ts for this version`,
      );
    }
    source = parts.join(c.replace);
  }
  return source;
}
