/**
 * The part of miniprogram-simulate's browser build (`node_modules/miniprogram-simulate/build.js`, which
 * sets `window.simulate`) the frame uses: load a component by path (it reads `window.__FILE_MAP__`),
 * register a component from a definition, and render one.
 */

/** `this` inside a component definition's lifetimes, observers and methods. */
export interface ComponentThis {
  /** The component's DOM element. */
  readonly $$: HTMLElement;
  readonly data: Record<string, unknown>;
  setData(data: Record<string, unknown>): void;
  triggerEvent(
    name: string,
    detail?: unknown,
    options?: { bubbles?: boolean; composed?: boolean },
  ): void;
}

type Handler = (this: ComponentThis, ...args: never[]) => void;

export interface PropertyDefinition {
  type: StringConstructor | NumberConstructor | BooleanConstructor | null;
  value?: unknown;
}

export interface ComponentDefinition {
  id: string;
  tagName: string;
  template: string;
  properties?: Record<string, PropertyDefinition>;
  observers?: Record<string, Handler>;
  lifetimes?: { attached?: Handler; detached?: Handler };
  methods?: Record<string, Handler>;
}

/** A rendered root (a page): j-component's RootComponent. */
export interface RenderedComponent {
  readonly dom: HTMLElement;
  readonly instance: object;
  attach(parent: Element): void;
  detach(): void;
}

export interface Simulate {
  load(
    componentPath: string,
    tagName: string,
    options: { compiler: 'official'; rootPath: string },
  ): string;
  load(definition: ComponentDefinition): string;
  render(id: string): RenderedComponent;
}

declare global {
  interface Window {
    simulate?: Simulate;
  }
}

export function simulate(): Simulate {
  const s = window.simulate;
  if (!s) throw new Error('miniprogram-simulate (/preview/simulate.js) did not load');
  return s;
}
