/**
 * A click is a tap. miniprogram-simulate (j-component) makes `tap` out of touch events only, as a phone
 * does; a person at a browser clicks with a mouse (or presses Enter or Space on a focused button). Each
 * such click is replayed as a one-finger touch at the same point, so j-component fires `tap` on the
 * element clicked, with its bubbling and `catchtap` as on a phone. Real touches (a touch screen, or an
 * emulated one) pass through untouched, and the click a browser adds after them is not replayed.
 */

let tapUntil = 0;
let lastRealTouch = -Infinity;
let replaying = false;
let taps = 0;

/**
 * How many times the person has tapped the phone since launch: every click or touch on a page or on
 * WeChat's own sheets (consent, modals), as a finger would. Typing on the system keyboard is not a tap.
 */
export function tapCount(): number {
  return taps;
}

/** True while the handlers of a tap run: WeChat allows some APIs only then (requestSubscribeMessage). */
export function inTapGesture(): boolean {
  return performance.now() <= tapUntil;
}

function markGesture(): void {
  // j-component dispatches `tap` in a microtask after the touch end; the handlers run in this task.
  tapUntil = performance.now() + 1000;
  setTimeout(() => {
    tapUntil = 0;
  }, 0);
}

function touchAt(
  target: Element,
  x: number,
  y: number,
  type: 'touchstart' | 'touchend',
): TouchEvent {
  const touch = new Touch({
    identifier: 1,
    target,
    clientX: x,
    clientY: y,
    pageX: x + window.scrollX,
    pageY: y + window.scrollY,
  });
  return new TouchEvent(type, {
    bubbles: true,
    cancelable: true,
    composed: true,
    touches: type === 'touchstart' ? [touch] : [],
    targetTouches: type === 'touchstart' ? [touch] : [],
    changedTouches: [touch],
  });
}

function replay(target: Element, x: number, y: number): void {
  replaying = true;
  try {
    target.dispatchEvent(touchAt(target, x, y, 'touchstart'));
    target.dispatchEvent(touchAt(target, x, y, 'touchend'));
  } finally {
    replaying = false;
  }
  markGesture();
}

export function installTouch(): void {
  // j-component cancels a tap that comes within 150 ms of a scroll in the page (a finger stopping a
  // fling). A browser's own <input> scrolls its text when it gains or loses focus; that is not the
  // page scrolling, so it must not swallow the next tap.
  document.addEventListener(
    'scroll',
    (e) => {
      const target = e.target;
      if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
        e.stopPropagation();
      }
    },
    { capture: true },
  );
  document.addEventListener(
    'touchend',
    () => {
      if (replaying) return;
      lastRealTouch = performance.now();
      taps += 1;
      markGesture();
    },
    { capture: true },
  );
  document.addEventListener(
    'click',
    (e) => {
      if (performance.now() - lastRealTouch < 800) return;
      taps += 1;
      const target = e.target instanceof Element ? e.target : null;
      // Inside the preview's own overlays a click is just a click.
      if (!target || target.closest('#overlays')) return;
      replay(target, e.clientX, e.clientY);
    },
    { capture: true },
  );
  document.addEventListener('keydown', (e) => {
    const target = e.target instanceof HTMLElement ? e.target : null;
    if (!target || (e.key !== 'Enter' && e.key !== ' ')) return;
    if (
      target.closest('#overlays') ||
      target instanceof HTMLInputElement ||
      target instanceof HTMLTextAreaElement
    )
      return;
    const role = target.getAttribute('role');
    if (role !== 'button' && role !== 'link' && role !== 'checkbox' && role !== 'radio') return;
    e.preventDefault();
    taps += 1;
    const box = target.getBoundingClientRect();
    replay(target, box.left + box.width / 2, box.top + box.height / 2);
  });
}
