import { cleanup } from '@testing-library/react';
import { configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom lacks these browser APIs that Fluent UI, the charts and the virtual list use.
class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoopResizeObserver as unknown as typeof ResizeObserver;
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => {},
  removeListener: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
  dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;

// jsdom does no layout: give elements a size so the virtual list and the charts have room to draw into.
Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 800 });
Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 800 });
Element.prototype.getBoundingClientRect = function rect(): DOMRect {
  return { x: 0, y: 0, top: 0, left: 0, bottom: 84, right: 800, width: 800, height: 84, toJSON: () => ({}) } as DOMRect;
};

afterEach(() => {
  cleanup();
  window.location.hash = '';
  sessionStorage.clear();
});

// The first render of a lazily loaded view compiles it on demand; allow for a slow, shared machine.
configure({ asyncUtilTimeout: 15000 });
