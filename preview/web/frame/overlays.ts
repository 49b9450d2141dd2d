/**
 * What WeChat draws over a page by itself: the toast, the loading toast, the modal, the subscribe-message
 * consent sheet and the map of `openLocation`. Plain DOM in `#overlays` (styled by frame.css), each a
 * dialog or status a screen reader announces.
 */

function layer(): HTMLElement {
  let root = document.getElementById('overlays');
  if (!root) {
    root = document.createElement('div');
    root.id = 'overlays';
    document.body.appendChild(root);
  }
  return root;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ------------------------------------------------------------------------------------------------
// toast and loading: one at a time, as in WeChat (showLoading replaces a toast and the other way round)

export type ToastIcon = 'success' | 'error' | 'loading' | 'none';

let toast: { node: HTMLElement; timer?: number; loading: boolean } | undefined;

export function hideToast(kind?: 'toast' | 'loading'): void {
  if (!toast) return;
  if (kind === 'loading' && !toast.loading) return;
  if (kind === 'toast' && toast.loading) return;
  window.clearTimeout(toast.timer);
  toast.node.remove();
  toast = undefined;
}

const ICON_TEXT: Record<ToastIcon, string> = { success: '✓', error: '✕', loading: '', none: '' };

export function showToast(options: {
  title: string;
  icon: ToastIcon;
  duration: number;
  mask: boolean;
  loading: boolean;
}): void {
  hideToast();
  const node = el('div', `toast-layer${options.mask ? ' toast-mask' : ''}`);
  const box = el('div', `toast toast-${options.icon}`);
  box.setAttribute('role', options.loading ? 'alert' : 'status');
  box.setAttribute('aria-live', 'assertive');
  if (options.icon === 'loading') box.appendChild(el('div', 'toast-spinner'));
  else if (options.icon !== 'none')
    box.appendChild(el('div', 'toast-icon', ICON_TEXT[options.icon]));
  box.appendChild(el('div', 'toast-title', options.title));
  node.appendChild(box);
  layer().appendChild(node);
  toast = { node, loading: options.loading };
  if (!options.loading) {
    toast.timer = window.setTimeout(() => hideToast('toast'), options.duration);
  }
}

// ------------------------------------------------------------------------------------------------
// dialogs

interface DialogButton {
  text: string;
  color?: string;
  className: string;
  onClick: () => void;
}

function dialog(
  className: string,
  title: string,
  body: HTMLElement[],
  buttons: DialogButton[],
): HTMLElement {
  const mask = el('div', `dialog-mask ${className}-mask`);
  const box = el('div', `dialog ${className}`);
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-modal', 'true');
  if (title) {
    const heading = el('div', 'dialog-title', title);
    heading.id = `dialog-title-${Date.now()}`;
    box.setAttribute('aria-labelledby', heading.id);
    box.appendChild(heading);
  }
  for (const b of body) box.appendChild(b);
  const row = el('div', 'dialog-buttons');
  for (const button of buttons) {
    const node = el('button', `dialog-button ${button.className}`, button.text);
    node.type = 'button';
    if (button.color) node.style.color = button.color;
    node.addEventListener('click', () => {
      mask.remove();
      button.onClick();
    });
    row.appendChild(node);
  }
  box.appendChild(row);
  mask.appendChild(box);
  layer().appendChild(mask);
  const first = row.querySelector('button');
  first?.focus();
  return mask;
}

export interface ModalOptions {
  title: string;
  content: string;
  showCancel: boolean;
  cancelText: string;
  cancelColor: string;
  confirmText: string;
  confirmColor: string;
}

export function showModal(options: ModalOptions): Promise<{ confirm: boolean; cancel: boolean }> {
  return new Promise((resolve) => {
    const buttons: DialogButton[] = [];
    if (options.showCancel) {
      buttons.push({
        text: options.cancelText,
        color: options.cancelColor,
        className: 'dialog-cancel',
        onClick: () => resolve({ confirm: false, cancel: true }),
      });
    }
    buttons.push({
      text: options.confirmText,
      color: options.confirmColor,
      className: 'dialog-confirm',
      onClick: () => resolve({ confirm: true, cancel: false }),
    });
    const body = options.content ? [el('div', 'dialog-content', options.content)] : [];
    dialog('modal', options.title, body, buttons);
  });
}

/** The subscribe-message sheet: one line per template, 允许 or 取消 for all of them. */
export function askConsent(
  appName: string,
  templates: { id: string; title: string }[],
): Promise<boolean> {
  return new Promise((resolve) => {
    const lead = el('div', 'consent-lead', `${appName} 申请向你发送以下订阅消息`);
    const list = el('ul', 'consent-list');
    for (const t of templates) list.appendChild(el('li', 'consent-item', t.title));
    const note = el(
      'div',
      'consent-note',
      '预览：允许后，本地云记录一次订阅（POST /subscriptions）',
    );
    dialog(
      'consent',
      '订阅消息',
      [lead, list, note],
      [
        { text: '取消', className: 'dialog-cancel', onClick: () => resolve(false) },
        {
          text: '允许',
          className: 'dialog-confirm',
          color: '#07c160',
          onClick: () => resolve(true),
        },
      ],
    );
  });
}

/**
 * 人脸核身's camera view (`wx.requestFacialVerify`): there is no camera, so 开始识别 stands for looking at
 * it — the local cloud decides whose face that is (the account's registered real name) — and 取消 for
 * backing out.
 */
export function askFaceScan(appName: string): Promise<boolean> {
  return new Promise((resolve) => {
    const lead = el('div', 'consent-lead', `${appName} 请你完成人脸识别，核对是否为身份证本人`);
    const note = el(
      'div',
      'consent-note',
      '预览：没有摄像头；开始识别后，本地云按此微信号登记的实名核对（POST /realname/face）',
    );
    dialog(
      'face-scan',
      '微信人脸核身',
      [lead, note],
      [
        { text: '取消', className: 'dialog-cancel', onClick: () => resolve(false) },
        {
          text: '开始识别',
          className: 'dialog-confirm',
          color: '#07c160',
          onClick: () => resolve(true),
        },
      ],
    );
  });
}

/**
 * 城市服务实名信息校验's consent page, a mini program of WeChat's own (`navigateToMiniProgram`): 同意 returns
 * with a code, 拒绝 without one.
 */
export function askRealName(appName: string): Promise<boolean> {
  return new Promise((resolve) => {
    const lead = el(
      'div',
      'consent-lead',
      `${appName} 申请核对你填写的姓名、身份证号是否与你的微信支付实名信息一致`,
    );
    const note = el(
      'div',
      'consent-note',
      '预览：同意后，本地云发出一次性 code（POST /realname/authorize），带回小程序',
    );
    dialog(
      'realname',
      '微信城市服务 · 实名信息校验',
      [lead, note],
      [
        { text: '拒绝', className: 'dialog-cancel', onClick: () => resolve(false) },
        {
          text: '同意',
          className: 'dialog-confirm',
          color: '#07c160',
          onClick: () => resolve(true),
        },
      ],
    );
  });
}

/**
 * A permission WeChat asks for once per scope (`scope.addPhoneCalendar`…): 允许 or 拒绝, remembered by the
 * caller as WeChat's authSetting is.
 */
export function askPermission(appName: string, what: string): Promise<boolean> {
  return new Promise((resolve) => {
    const lead = el('div', 'consent-lead', `${appName} 申请${what}`);
    dialog(
      'permission',
      '授权',
      [lead],
      [
        { text: '拒绝', className: 'dialog-cancel', onClick: () => resolve(false) },
        {
          text: '允许',
          className: 'dialog-confirm',
          color: '#07c160',
          onClick: () => resolve(true),
        },
      ],
    );
  });
}

export interface Place {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  scale?: number;
}

/** `wx.openLocation`: WeChat opens its map; the preview shows the place and a link to a map. */
export function showLocation(place: Place): void {
  const lat = place.latitude.toFixed(6);
  const lng = place.longitude.toFixed(6);
  const zoom = place.scale ?? 16;
  const body: HTMLElement[] = [
    el('div', 'location-name', place.name ?? ''),
    el('div', 'location-address', place.address ?? ''),
    el('div', 'location-coords', `纬度 ${lat}，经度 ${lng}`),
  ];
  const url = `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lng}#map=${zoom}/${lat}/${lng}`;
  const link = el('a', 'location-link', url);
  link.href = url;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  body.push(el('div', 'location-note', '预览不加载地图；在浏览器中打开：'), link);
  dialog('location', '查看位置', body, [
    { text: '返回', className: 'dialog-confirm', onClick: () => undefined },
  ]);
}

// ------------------------------------------------------------------------------------------------
// the scanner of `wx.scanCode`

/** A QR code a phone in the preview shows (a citizen's pass), offered to the scanner sheet. */
export interface ShownCode {
  /** What the code holds: the text `scanCode` answers as `result`. */
  text: string;
  /** Its QR modules, the quiet zone included (`true` = dark). */
  modules: boolean[][];
  /** What is written beside it: `A011 · 12月2日 09:00-10:00`. */
  title: string;
  /** Whose phone shows it. */
  owner: string;
}

function drawQr(modules: boolean[][]): HTMLCanvasElement {
  const scale = 3;
  const canvas = document.createElement('canvas');
  canvas.className = 'scan-code-image';
  canvas.width = modules.length * scale;
  canvas.height = modules.length * scale;
  canvas.setAttribute('aria-hidden', 'true');
  const g = canvas.getContext('2d');
  if (g) {
    g.fillStyle = '#fff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.fillStyle = '#000';
    modules.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (dark) g.fillRect(x * scale, y * scale, scale, scale);
      }),
    );
  }
  return canvas;
}

/**
 * The scanner as a sheet, since the preview has no camera: the QR codes the other phones of the
 * preview show (`codes`, loading meanwhile), and a field to paste what a code holds. Answers the text
 * scanned, or `undefined` when the person closes it (取消), as the camera view's back button does.
 * `readsQr` false (a `scanType` without `qrCode`): the codes are shown but cannot be read.
 */
export function askScan(
  codes: Promise<ShownCode[]>,
  readsQr: boolean,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const done = (text: string | undefined): void => {
      list.closest('.dialog-mask')?.remove();
      resolve(text);
    };
    const lead = el(
      'div',
      'scan-lead',
      readsQr
        ? '预览没有相机：点一个其他手机上正在显示的二维码，或粘贴二维码的内容。'
        : '所选的扫码类型不识别二维码（scanType 不含 qrCode）。',
    );
    const list = el('ul', 'scan-list');
    list.setAttribute('aria-label', '其他手机上的二维码');
    list.appendChild(el('li', 'scan-empty', '正在查找其他手机上的二维码…'));
    codes.then(
      (shown) => {
        list.replaceChildren();
        if (shown.length === 0) list.appendChild(el('li', 'scan-empty', '其他手机上没有二维码'));
        for (const code of shown) {
          const item = el('li', 'scan-item');
          const pick = el('button', 'scan-code');
          pick.type = 'button';
          pick.disabled = !readsQr;
          pick.setAttribute('aria-label', `扫 ${code.owner} 的 ${code.title}`);
          const words = el('span', 'scan-code-words');
          words.append(
            el('strong', 'scan-code-title', code.title),
            el('span', 'scan-code-owner', code.owner),
          );
          pick.append(drawQr(code.modules), words);
          pick.addEventListener('click', () => done(code.text));
          item.appendChild(pick);
          list.appendChild(item);
        }
      },
      (err: unknown) => {
        list.replaceChildren(
          el(
            'li',
            'scan-empty',
            `查找二维码失败：${err instanceof Error ? err.message : String(err)}`,
          ),
        );
      },
    );
    const form = el('form', 'scan-form');
    const input = el('input', 'scan-input');
    input.type = 'text';
    input.placeholder = '二维码的内容';
    input.setAttribute('aria-label', '二维码的内容');
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.disabled = !readsQr;
    const read = el('button', 'scan-read', '识别');
    read.type = 'submit';
    read.disabled = !readsQr;
    form.append(input, read);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (input.value !== '') done(input.value);
    });
    dialog(
      'scan',
      '扫一扫',
      [lead, list, form],
      [{ text: '取消', className: 'dialog-cancel', onClick: () => resolve(undefined) }],
    );
  });
}
