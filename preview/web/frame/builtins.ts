/**
 * WeChat's built-in components for a person at a browser. miniprogram-simulate renders every built-in
 * as an empty element with its children (`<wx-input>` you cannot type into, `<wx-view>` that drops
 * `aria-label`); here the ones the pages and Vant need are registered again, under the same ids
 * (`view`, rendered as `<wx-view>`), with what a phone gives a person:
 *
 * - every one: `hidden`, and the `aria-*` attributes (`aria-role` → `role`) reflected to the element,
 *   so screen readers and tests find `role=button` by its label as on a phone's accessibility tree;
 * - `input` / `textarea`: a real `<input>` / `<textarea>` inside, firing `input`, `focus`, `blur`,
 *   `confirm` with WeChat's event details, honouring `value`, `placeholder`, `maxlength`, `type`,
 *   `password`, `disabled`, `focus`;
 * - `button`: `role=button`, focusable; `navigator`: navigates on tap;
 * - `image`: the picture when it is the mini program's own file; a picture from the internet is shown
 *   as an empty frame (the preview talks to 127.0.0.1 only);
 * - `scroll-view`: scrolls on the axes it enables and fires `scroll`;
 * - `canvas` with `type="2d"`: a real `<canvas>` filling the element, which `createSelectorQuery()`'s
 *   `fields({ node: true })` answers as WeChat's Canvas node (`getContext('2d')`, `width`/`height` of
 *   the backing store, `requestAnimationFrame`, `createImage`); the legacy `canvas-id` canvas has no node.
 *
 * Default styles are in frame.css.
 */
import {
  simulate,
  type ComponentDefinition,
  type ComponentThis,
  type PropertyDefinition,
} from './simulate';

/** `aria-*` attributes WeChat supports on built-ins, by property name. */
const ARIA: Record<string, string> = {
  ariaRole: 'role',
  ariaLabel: 'aria-label',
  ariaDisabled: 'aria-disabled',
  ariaHidden: 'aria-hidden',
  ariaLive: 'aria-live',
  ariaChecked: 'aria-checked',
  ariaSelected: 'aria-selected',
  ariaExpanded: 'aria-expanded',
  ariaRequired: 'aria-required',
};

/** An attribute's value as text: what WeChat makes of a string, number or boolean; '' otherwise. */
function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

function reflect(el: HTMLElement, attribute: string, value: unknown): void {
  const t = text(value);
  if (t === '') el.removeAttribute(attribute);
  else el.setAttribute(attribute, t);
  if (attribute === 'role') {
    // A tappable role is reachable by keyboard, as by a screen reader's focus on a phone.
    if (value === 'button' || value === 'link' || value === 'checkbox' || value === 'radio')
      el.tabIndex = 0;
  }
}

function common(): Pick<ComponentDefinition, 'properties' | 'observers'> {
  const properties: Record<string, PropertyDefinition> = {
    hidden: { type: Boolean, value: false },
  };
  const observers: Record<string, (this: ComponentThis, value: unknown) => void> = {
    hidden(this: ComponentThis, value: unknown) {
      this.$$.hidden = value === true;
    },
  };
  for (const [prop, attribute] of Object.entries(ARIA)) {
    properties[prop] = { type: null };
    observers[prop] = function (this: ComponentThis, value: unknown) {
      reflect(this.$$, attribute, value);
    };
  }
  return { properties, observers };
}

function define(
  name: string,
  extra: Omit<ComponentDefinition, 'id' | 'tagName' | 'template'> & { template?: string } = {},
): ComponentDefinition {
  const base = common();
  return {
    // Templates compiled by wcc say `wx-view`; j-component looks the component up as `view`.
    id: name,
    tagName: `wx-${name}`,
    template: extra.template ?? '<slot/>',
    properties: { ...base.properties, ...extra.properties },
    observers: { ...base.observers, ...extra.observers },
    ...(extra.lifetimes ? { lifetimes: extra.lifetimes } : {}),
    ...(extra.methods ? { methods: extra.methods } : {}),
  };
}

// ------------------------------------------------------------------------------------------------
// input and textarea

type Field = HTMLInputElement | HTMLTextAreaElement;
const fields = new WeakMap<HTMLElement, Field>();

function fieldOf(host: ComponentThis, kind: 'input' | 'textarea'): Field {
  let field = fields.get(host.$$);
  if (field) return field;
  field = document.createElement(kind);
  field.className = `preview-${kind}`;
  fields.set(host.$$, field);
  host.$$.appendChild(field);
  const f = field;
  const detail = (): { value: string; cursor: number } => ({
    value: f.value,
    cursor: f.selectionStart ?? 0,
  });
  field.addEventListener('input', () => host.triggerEvent('input', { ...detail(), keyCode: 0 }));
  field.addEventListener('focus', () =>
    host.triggerEvent('focus', { value: detail().value, height: 0 }),
  );
  field.addEventListener('blur', () => host.triggerEvent('blur', detail()));
  field.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter' && kind === 'input')
      host.triggerEvent('confirm', { value: detail().value });
  });
  return field;
}

function fieldDefinition(kind: 'input' | 'textarea'): ComponentDefinition {
  const field = (host: ComponentThis): Field => fieldOf(host, kind);
  return define(kind, {
    template: '<slot/>',
    properties: {
      value: { type: null, value: '' },
      type: { type: String, value: 'text' },
      password: { type: Boolean, value: false },
      placeholder: { type: String, value: '' },
      disabled: { type: Boolean, value: false },
      maxlength: { type: Number, value: 140 },
      focus: { type: Boolean, value: false },
      autoFocus: { type: Boolean, value: false },
    },
    observers: {
      value(this: ComponentThis, value: unknown) {
        const t = text(value);
        const f = field(this);
        if (f.value !== t) f.value = t;
      },
      'type, password'(this: ComponentThis, type: unknown, password: unknown) {
        const f = field(this);
        if (!(f instanceof HTMLInputElement)) return;
        f.type = password === true || type === 'password' ? 'password' : 'text';
        // The phone's keyboard for each type; a browser shows its own, the hint is kept for mobile browsers.
        f.inputMode = type === 'number' ? 'numeric' : type === 'digit' ? 'decimal' : 'text';
      },
      placeholder(this: ComponentThis, placeholder: unknown) {
        field(this).placeholder = text(placeholder);
      },
      disabled(this: ComponentThis, disabled: unknown) {
        field(this).disabled = disabled === true;
      },
      maxlength(this: ComponentThis, maxlength: unknown) {
        const f = field(this);
        if (typeof maxlength === 'number' && maxlength >= 0) f.maxLength = maxlength;
        else f.removeAttribute('maxlength');
      },
      'focus, autoFocus'(this: ComponentThis, focus: unknown, autoFocus: unknown) {
        if (focus === true || autoFocus === true) {
          const f = field(this);
          setTimeout(() => f.focus(), 0);
        }
      },
      ariaLabel(this: ComponentThis, label: unknown) {
        reflect(field(this), 'aria-label', label);
      },
    },
    lifetimes: {
      attached(this: ComponentThis) {
        field(this);
      },
    },
  });
}

// ------------------------------------------------------------------------------------------------
// image

/** The mini program's own files are served under /mp/; anything with a scheme is not fetched. */
function localSource(src: string): string | undefined {
  if (src.startsWith('data:') || src.startsWith('blob:')) return src;
  if (/^[a-z]+:/i.test(src) || src.startsWith('//')) return undefined;
  return src.startsWith('/') ? `/mp${src}` : undefined;
}

const OBJECT_FIT: Partial<Record<string, string>> = {
  scaleToFill: 'fill',
  aspectFit: 'contain',
  aspectFill: 'cover',
  widthFix: 'fill',
  heightFix: 'fill',
};

const imageDefinition = define('image', {
  template: '<slot/>',
  properties: {
    src: { type: String, value: '' },
    mode: { type: String, value: 'scaleToFill' },
    lazyLoad: { type: Boolean, value: false },
  },
  observers: {
    'src, mode'(this: ComponentThis, src: unknown, mode: unknown) {
      const host = this.$$;
      host.replaceChildren();
      const url = localSource(text(src));
      host.classList.toggle('preview-image-external', !url && Boolean(src));
      if (!url) return;
      const img = document.createElement('img');
      img.src = url;
      img.alt = '';
      img.style.objectFit = OBJECT_FIT[text(mode)] ?? 'fill';
      host.appendChild(img);
      const m = text(mode);
      host.classList.toggle('preview-image-width-fix', m === 'widthFix');
      img.addEventListener('load', () =>
        this.triggerEvent('load', { width: img.naturalWidth, height: img.naturalHeight }),
      );
      img.addEventListener('error', () =>
        this.triggerEvent('error', { errMsg: `GET ${url} failed` }),
      );
    },
  },
});

// ------------------------------------------------------------------------------------------------
// button, navigator, scroll-view

const buttonDefinition = define('button', {
  properties: {
    disabled: { type: Boolean, value: false },
    loading: { type: Boolean, value: false },
    type: { type: String, value: 'default' },
    size: { type: String, value: 'default' },
    plain: { type: Boolean, value: false },
    formType: { type: String, value: '' },
    openType: { type: String, value: '' },
  },
  observers: {
    disabled(this: ComponentThis, disabled: unknown) {
      this.$$.setAttribute('aria-disabled', String(disabled === true));
    },
  },
  lifetimes: {
    attached(this: ComponentThis) {
      if (!this.$$.hasAttribute('role')) this.$$.setAttribute('role', 'button');
      this.$$.tabIndex = 0;
    },
  },
});

const navigatorDefinition = define('navigator', {
  properties: {
    url: { type: String, value: '' },
    openType: { type: String, value: 'navigate' },
    delta: { type: Number, value: 1 },
  },
  lifetimes: {
    attached(this: ComponentThis) {
      this.$$.setAttribute('role', 'link');
      this.$$.tabIndex = 0;
      this.$$.addEventListener('click', () => {
        const url = text(this.data.url);
        const open = text(this.data.openType) || 'navigate';
        const go: Partial<Record<string, () => unknown>> = {
          navigate: () => wx.navigateTo({ url }),
          redirect: () => wx.redirectTo({ url }),
          switchTab: () => wx.switchTab({ url }),
          reLaunch: () => wx.reLaunch({ url }),
          navigateBack: () => wx.navigateBack({ delta: Number(this.data.delta ?? 1) }),
        };
        void go[open]?.();
      });
    },
  },
});

const scrollViewDefinition = define('scroll-view', {
  properties: {
    scrollX: { type: Boolean, value: false },
    scrollY: { type: Boolean, value: false },
    scrollTop: { type: Number, value: 0 },
    scrollLeft: { type: Number, value: 0 },
  },
  observers: {
    'scrollX, scrollY'(this: ComponentThis, x: unknown, y: unknown) {
      this.$$.style.overflowX = x === true ? 'auto' : 'hidden';
      this.$$.style.overflowY = y === true ? 'auto' : 'hidden';
    },
    scrollTop(this: ComponentThis, top: unknown) {
      if (typeof top === 'number') this.$$.scrollTop = top;
    },
    scrollLeft(this: ComponentThis, left: unknown) {
      if (typeof left === 'number') this.$$.scrollLeft = left;
    },
  },
  lifetimes: {
    attached(this: ComponentThis) {
      const el = this.$$;
      el.addEventListener('scroll', () =>
        this.triggerEvent('scroll', {
          scrollTop: el.scrollTop,
          scrollLeft: el.scrollLeft,
          scrollHeight: el.scrollHeight,
          scrollWidth: el.scrollWidth,
        }),
      );
    },
  },
});

// ------------------------------------------------------------------------------------------------
// canvas (type="2d")

/** What WeChat's Canvas node adds to a browser canvas (`canvas.requestAnimationFrame`…). */
function canvasNode(el: HTMLCanvasElement): HTMLCanvasElement {
  return Object.assign(el, {
    requestAnimationFrame: (cb: FrameRequestCallback) => window.requestAnimationFrame(cb),
    cancelAnimationFrame: (id: number) => {
      window.cancelAnimationFrame(id);
    },
    createImage: () => new Image(),
  });
}

const canvasDefinition = define('canvas', {
  properties: {
    type: { type: String, value: '' },
    canvasId: { type: String, value: '' },
    disableScroll: { type: Boolean, value: false },
  },
  observers: {
    type(this: ComponentThis, type: unknown) {
      const host = this.$$ as HTMLElement & { __previewNode?: HTMLCanvasElement | null };
      // A re-render sets `type` again: the canvas, and what is drawn on it, stay as on a phone.
      if (type === '2d' && host.__previewNode) return;
      host.replaceChildren();
      host.__previewNode = null;
      if (type !== '2d') return;
      const el = document.createElement('canvas');
      host.appendChild(el);
      // The selector query's `node` (simulate-build.ts reads it).
      host.__previewNode = canvasNode(el);
    },
  },
});

/** Registers the built-ins; before any page is loaded. */
export function registerBuiltins(): void {
  const definitions = [
    define('view'),
    define('text'),
    define('label'),
    fieldDefinition('input'),
    fieldDefinition('textarea'),
    imageDefinition,
    buttonDefinition,
    navigatorDefinition,
    scrollViewDefinition,
    canvasDefinition,
  ];
  for (const definition of definitions) simulate().load(definition);
}
