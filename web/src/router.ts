// Addresses without reloads: pushState, and the back button.
import { h } from "./dom";

let render: () => void = () => {};

export function onNavigate(handler: () => void): void {
  render = handler;
  window.addEventListener("popstate", handler);
}

export function go(path: string): void {
  history.pushState(null, "", path);
  render();
}

/** A link that changes the page without reloading it. */
export function link(path: string, ...children: (Node | string)[]): HTMLAnchorElement {
  const onclick = (event: Event) => {
    event.preventDefault();
    go(path);
  };
  return h("a", { href: path, onclick }, ...children);
}
