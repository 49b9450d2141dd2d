/**
 * The pages' clock is the local cloud's emulated clock, as on a phone whose time agrees with the
 * server's: `Date.now()`, `new Date()` and `Date()` read the cloud's time (kept as an offset from real
 * time, which it runs on from); every other use of `Date` behaves as the real one. The same patch as the
 * local cloud's function instances (local-cloud/src/runtime/worker-main.ts).
 */
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
let offset = 0;

function emulatedNow(): number {
  return realNow() + offset;
}

export function installClock(): void {
  window.Date = new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget: new (...a: unknown[]) => object) {
      return Reflect.construct(
        target,
        args.length === 0 ? [emulatedNow()] : args,
        newTarget,
      ) as object;
    },
    apply() {
      return new RealDate(emulatedNow()).toString();
    },
    get(target, prop, receiver) {
      if (prop === 'now') return emulatedNow;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

/** Sets the pages' clock to `now` (epoch ms, the cloud's time as just read). */
export function setNow(now: number): void {
  offset = now - realNow();
}
