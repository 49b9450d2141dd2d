/**
 * The preview page around the phone: the toolbar (who is using the phone, the font setting, pull-down
 * refresh, relaunch), the navigation and tab bars WeChat draws above and below a page, and the side panel
 * on the local cloud (its clock, the subscribe-message outbox, unused consents). The phone's web view is
 * the iframe (frame/); it reports each change of page through `window.__previewShell`.
 */
import * as cloud from '../cloud';
import {
  DEMO_OPENIDS,
  DEVICES,
  deviceOf,
  type Device,
  type FontSize,
  type FrameApi,
  type FrameState,
  type ShellApi,
} from '../protocol';
import { knownOpenids, rememberOpenid } from '../openids';
import { chinaText, eveOfNextBooking, fromChinaInput, toChinaInput } from './time';

function $(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from shell.html`);
  return node;
}

function $as<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = $(id);
  if (!(node instanceof type)) throw new Error(`#${id} is not a ${type.name}`);
  return node;
}

const webview = $as('webview', HTMLIFrameElement);
const openidInput = $as('openid', HTMLInputElement);
const fontSelect = $as('font', HTMLSelectElement);
const deviceSelect = $as('device', HTMLSelectElement);

function fontSize(value: string | null): FontSize {
  return value === 'largest' ? 'largest' : 'normal';
}

const query = new URLSearchParams(location.search);
const settings: { openid: string; font: FontSize; device: Device } = {
  openid: query.get('openid') || DEMO_OPENIDS[0],
  font: fontSize(query.get('font')),
  device: deviceOf(query.get('device')),
};

function frame(): FrameApi | undefined {
  return webview.contentWindow?.__preview;
}

function remember(): void {
  rememberOpenid(settings.openid);
  const q = new URLSearchParams({
    openid: settings.openid,
    font: settings.font,
    device: settings.device,
  });
  history.replaceState(null, '', `?${q.toString()}`);
}

/** Opens the mini program afresh in the phone (a new launch, as after switching WeChat accounts). */
function launch(path?: string): void {
  const size = DEVICES[settings.device];
  const phone = $('phone');
  phone.style.width = `${size.width}px`;
  phone.style.height = `${size.height}px`;
  phone.dataset.device = settings.device;
  const q = new URLSearchParams({
    openid: settings.openid,
    font: settings.font,
    device: settings.device,
  });
  if (path) q.set('path', path);
  webview.src = `/frame?${q.toString()}`;
}

// ---- navigation bar, tab bar -------------------------------------------------------------------

function frameChanged(state: FrameState): void {
  const bar = $('nav-bar');
  bar.style.background = state.navigationBarBackgroundColor;
  bar.style.color = state.navigationBarTextStyle === 'black' ? '#000' : '#fff';
  $('title').textContent = state.error ? '小程序出错' : state.title;
  $('back').hidden = state.depth <= 1;
  $('home').hidden = !state.showHome;
  $as('refresh', HTMLButtonElement).disabled = !state.pullDownRefresh;
  $('refreshing').hidden = !state.refreshing;
  const tabs = $('tab-bar');
  const tabBar = state.tabBar;
  tabs.hidden = !tabBar || tabBar.current < 0;
  tabs.replaceChildren();
  if (tabBar) {
    tabs.style.background = tabBar.backgroundColor;
    tabBar.list.forEach((item, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = item.text;
      button.style.color = i === tabBar.current ? tabBar.selectedColor : tabBar.color;
      if (i === tabBar.current) button.setAttribute('aria-current', 'page');
      button.addEventListener('click', () => frame()?.switchTab(item.pagePath));
      tabs.appendChild(button);
    });
  }
}

const shellApi: ShellApi = {
  frameChanged,
  cloudChanged: () => void refreshPanel(),
};
window.__previewShell = shellApi;

declare global {
  interface Window {
    __previewShell?: ShellApi;
  }
}

// ---- side panel ----------------------------------------------------------------------------------

function note(text: string): void {
  $('clock-note').textContent = text;
}

async function moveClock(now: number): Promise<void> {
  const answer = await cloud.setClock(now);
  await frame()?.syncClock();
  const fired = answer.fired.map(
    (f) => `${f.ok ? '✓' : '✕'} ${f.function} (${f.trigger})${f.error ? `: ${f.error}` : ''}`,
  );
  note(
    `时钟已设为 ${chinaText(answer.now)}${fired.length ? `\n触发了定时器：\n${fired.join('\n')}` : ''}`,
  );
  await refreshPanel();
}

function act(work: () => Promise<void>): void {
  work().catch((err: unknown) => note(`失败：${err instanceof Error ? err.message : String(err)}`));
}

function renderOutbox(messages: cloud.OutboxMessageView[]): void {
  const list = $('outbox');
  $('outbox-count').textContent = `（${messages.length}）`;
  list.replaceChildren();
  if (messages.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = '还没有发出的消息';
    list.appendChild(empty);
  }
  for (const m of [...messages].reverse()) {
    const item = document.createElement('li');
    item.className = 'message';
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = `${chinaText(m.sentAt)} · 发给 ${m.touser} · ${m.templateTitle} · ${m.function}${m.page ? ` → ${m.page}` : ''}`;
    const fields = document.createElement('dl');
    for (const [key, value] of Object.entries(m.data)) {
      const dt = document.createElement('dt');
      dt.textContent = m.keyNames[key] ?? key;
      const dd = document.createElement('dd');
      dd.textContent = value.value;
      fields.append(dt, dd);
    }
    item.append(meta, fields);
    list.appendChild(item);
  }
}

async function refreshPanel(): Promise<void> {
  const [clock, messages, consents] = await Promise.all([
    cloud.getClock(),
    cloud.outboxView(),
    cloud.consents(),
  ]);
  $('clock').textContent = chinaText(clock.now);
  const input = $as('clock-input', HTMLInputElement);
  if (document.activeElement !== input) input.value = toChinaInput(clock.now);
  renderOutbox(messages);
  const list = $('consents');
  list.replaceChildren();
  for (const c of consents) {
    const item = document.createElement('li');
    item.textContent = `${c.openid} · ${c.templateId} × ${c.remaining}`;
    list.appendChild(item);
  }
  if (consents.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = '没有';
    list.appendChild(empty);
  }
}

// ---- wiring --------------------------------------------------------------------------------------

const datalist = $('openids');
for (const id of knownOpenids()) {
  const option = document.createElement('option');
  option.value = id;
  datalist.appendChild(option);
}
openidInput.value = settings.openid;
fontSelect.value = settings.font;

openidInput.addEventListener('change', () => {
  const openid = openidInput.value.trim();
  if (!openid || openid === settings.openid) return;
  settings.openid = openid;
  remember();
  launch();
});

for (const [id, d] of Object.entries(DEVICES)) {
  const option = document.createElement('option');
  option.value = id;
  option.textContent = `${d.label}（${d.width}×${d.height}）`;
  deviceSelect.appendChild(option);
}
deviceSelect.value = settings.device;
deviceSelect.addEventListener('change', () => {
  settings.device = deviceOf(deviceSelect.value);
  remember();
  // A new screen: the mini program starts again on the page it showed.
  launch(frame()?.state().url || undefined);
});

fontSelect.addEventListener('change', () => {
  settings.font = fontSize(fontSelect.value);
  remember();
  frame()?.setFontSize(settings.font);
});

$('refresh').addEventListener('click', () => frame()?.pullDownRefresh());
$('relaunch').addEventListener('click', () => launch());
$('back').addEventListener('click', () => frame()?.navigateBack());
$('home').addEventListener('click', () => frame()?.goHome());

$('clock-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $as('clock-input', HTMLInputElement).value;
  act(() => moveClock(fromChinaInput(value)));
});
$('plus-hour').addEventListener('click', () =>
  act(async () => moveClock((await cloud.getClock()).now + 3_600_000)),
);
$('eve').addEventListener('click', () =>
  act(async () => {
    const now = (await cloud.getClock()).now;
    const answer = await cloud.callFunction('booking', { action: 'mine' }, settings.openid);
    const target = eveOfNextBooking(answer.result, now);
    if (typeof target === 'string') {
      note(target);
      return;
    }
    await moveClock(target);
  }),
);
$('outbox-clear').addEventListener('click', () =>
  act(async () => {
    await cloud.clearOutbox();
    await refreshPanel();
  }),
);

remember();
launch(query.get('path') ?? undefined);
act(refreshPanel);
setInterval(() => act(refreshPanel), 2000);
