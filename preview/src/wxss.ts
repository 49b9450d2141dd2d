/**
 * What WeChat does to a stylesheet before a phone shows it, done once on the server so that
 * miniprogram-simulate's own stylesheet pipeline (class prefixes per component) gets plain CSS.
 */

/** The phone's width in CSS px. WeChat makes 750rpx the screen width, so on it 1rpx = 0.5px. */
export const SCREEN_WIDTH = 375;

/**
 * `34rpx` → `17px` for a screen `screenWidth` wide. (miniprogram-simulate would turn `34rpx` into `34px`,
 * twice the size a 375 px phone shows.)
 */
export function rpxToPx(css: string, screenWidth = SCREEN_WIDTH): string {
  return css.replace(/(-?(?:\d+\.?\d*|\.\d+))rpx\b/g, (_all, n: string) => {
    const px = (Number(n) * screenWidth) / 750;
    return `${Number(px.toFixed(4))}px`;
  });
}

/** The custom property the preview sets to the phone's text scale (1, or more for the largest font). */
export const FONT_SCALE_VAR = '--preview-font-scale';

/**
 * Makes absolute text sizes follow the phone's font setting, as the system font size does in WeChat's
 * web view: `font-size: 17px` → `font-size: calc(17px * var(--preview-font-scale, 1))`, and so for a
 * `var(…)` font size and a px line height. Relative sizes (`em`, `%`, unitless line heights, keywords)
 * already follow their parent and are left alone, and so is a line height given by a variable (it may be
 * unitless). Custom properties (`--cell-font-size: 17px`) are left alone: the declarations using them
 * scale.
 */
export function scalableText(css: string): string {
  return css.replace(
    /(^|[;{\s])(font-size|line-height)(\s*:\s*)([^;}!]+?)(\s*!important)?(\s*)(?=[;}]|$)/g,
    (all, before: string, prop: string, sep: string, value: string, important = '', after = '') => {
      const absolute =
        prop === 'font-size' ? /\dpx\b|var\(/.test(value) : /^\s*-?[\d.]+px\s*$/.test(value);
      if (!absolute) return all;
      return `${before}${prop}${sep}calc(${value.trim()} * var(${FONT_SCALE_VAR}, 1))${important}${after}`;
    },
  );
}

/**
 * The preview talks to 127.0.0.1 only: a `url()` on the internet (Vant's icon font comes from
 * at.alicdn.com) becomes an empty `data:` URL, so the browser asks nothing of anyone.
 */
export function withoutRemoteUrls(css: string): string {
  const remote = /url\(\s*['"]?(?:https?:)?\/\//;
  // A font only on the internet is dropped whole (an empty source would be a failed download).
  const fonts = css.replace(/@font-face\s*\{[^}]*\}/g, (face) => (remote.test(face) ? '' : face));
  return fonts.replace(/url\(\s*(['"]?)(?:https?:)?\/\/[^)'"]*\1\s*\)/g, 'url(data:,)');
}

/**
 * Without its font, a Vant icon would be an empty box; the common ones get a look-alike character
 * (arrows of tappable cells, ticks of checkboxes and radios, the map pin…).
 */
const ICON_GLYPHS: Partial<Record<string, string>> = {
  arrow: '›',
  'arrow-left': '‹',
  'arrow-down': '⌄',
  'arrow-up': '⌃',
  success: '✓',
  checked: '✓',
  passed: '✓',
  cross: '✕',
  close: '✕',
  clear: '⊗',
  'location-o': '◎',
  location: '◎',
  'add-o': '⊕',
  plus: '+',
  minus: '−',
  search: '⌕',
  'warning-o': '⚠',
  'info-o': 'ⓘ',
  'phone-o': '☏',
  'clock-o': '◷',
  'home-o': '⌂',
  'user-o': '☺',
};

export function iconFallbacks(css: string): string {
  return css.replace(/\.van-icon-([a-z0-9-]+):before\{content:"[^"]*"\}/g, (all, name: string) => {
    const glyph = ICON_GLYPHS[name];
    return glyph ? `.van-icon-${name}:before{content:"${glyph}"}` : all;
  });
}

/** Everything above, in the order the phone would see it; `screenWidth` the device's (a tablet's 1024). */
export function forPhone(css: string, screenWidth = SCREEN_WIDTH): string {
  return iconFallbacks(withoutRemoteUrls(scalableText(rpxToPx(css, screenWidth))));
}
