/**
 * Presentation mode, on every screen: projector-size type, editing chrome hidden
 * (anything marked `.edit-chrome`), and keyboard steps through the screen's slides.
 *
 * A screen's slides are its `.slide` elements, or, on a screen that marks none, the
 * blocks directly inside its `<Screen>` (cards, grids of cards). ↓/PageDown/Space first
 * scroll through a slide taller than the window, bringing the first item it cuts to the
 * top, so every row is seen, then move to the next slide; ↑/PageUp go back, Home/End
 * jump, Esc leaves, D logs a decision and P parks a topic (a small box in the bar).
 * Each screen's place is kept, so leaving and entering again resumes where it was.
 * Space on a focused button or link presses it, as everywhere else.
 */
export type QuickAdd = 'decision' | 'parking';

export const presentation = $state<{
  on: boolean;
  /** Index of the current slide on the shown screen, and how many it has. */
  slide: number;
  count: number;
  /** The screen the slide belongs to. */
  screen: string;
  /** The quick-add box that is open, if any. */
  adding: QuickAdd | null;
}>({ on: false, slide: 0, count: 0, screen: '', adding: null });

interface Place {
  slide: number;
  scrollTop: number;
}
const STORE = 'baton.presentation.places';
/** Where each screen was left, by screen id; kept for the window's life (and a reload). */
const places: Record<string, Place> = readPlaces();

function readPlaces(): Record<string, Place> {
  try {
    return JSON.parse(sessionStorage.getItem(STORE) ?? '{}') as Record<string, Place>;
  } catch {
    return {};
  }
}

/** Space above a slide or item brought to the top. */
const MARGIN = 14;

const scroller = (): HTMLElement | null => document.querySelector<HTMLElement>('main');
/** Laid out and not folded away in a closed `<details>` (which WebKit still gives boxes). */
const shown = (el: Element): el is HTMLElement =>
  el instanceof HTMLElement && el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)');

/** The shown screen's slides, numbered in `data-slide` (tests and styles read it). */
function slides(): HTMLElement[] {
  const screen = document.querySelector<HTMLElement>('main .screen');
  if (!screen) return [];
  const marked = Array.from(screen.querySelectorAll('.slide')).filter(shown);
  const all = marked.length > 0 ? marked : Array.from(screen.children).filter((el): el is HTMLElement => el.tagName !== 'HEADER' && shown(el));
  all.forEach((el, i) => (el.dataset.slide = String(i)));
  presentation.count = all.length;
  return all;
}

function mark(i: number, all: HTMLElement[]): void {
  presentation.slide = Math.max(0, Math.min(i, all.length - 1));
  document.querySelectorAll('.current-slide').forEach((el) => el.classList.remove('current-slide'));
  all[presentation.slide]?.classList.add('current-slide');
}

function remember(): void {
  if (!presentation.screen) return;
  places[presentation.screen] = { slide: presentation.slide, scrollTop: scroller()?.scrollTop ?? 0 };
  try {
    sessionStorage.setItem(STORE, JSON.stringify(places));
  } catch {
    // Private storage unavailable: positions last until the window closes.
  }
}

function showSlide(i: number): void {
  const all = slides();
  if (all.length === 0) return;
  mark(i, all);
  const main = scroller();
  if (presentation.slide === 0 && main) main.scrollTop = 0;
  else all[presentation.slide].scrollIntoView({ block: 'start', behavior: 'instant' as ScrollBehavior });
  remember();
}

/**
 * The first item inside `el` cut by the bottom of `view` that can be brought to the top:
 * it starts below the top and fits the window, or lies inside a child that does not fit.
 */
function firstCutItem(el: Element, view: DOMRect): HTMLElement | null {
  for (const child of Array.from(el.children)) {
    if (!shown(child)) continue;
    const r = child.getBoundingClientRect();
    if (r.height === 0 || r.bottom <= view.bottom + 1) continue;
    const belowTop = r.top > view.top + MARGIN + 1;
    if (belowTop && r.height <= view.height - 2 * MARGIN) return child;
    return firstCutItem(child, view) ?? (belowTop ? child : null);
  }
  return null;
}

function next(): void {
  const all = slides();
  const main = scroller();
  const current = all[presentation.slide];
  if (!main || !current) return showSlide(0);
  const view = main.getBoundingClientRect();
  if (current.getBoundingClientRect().bottom > view.bottom + 1) {
    const before = main.scrollTop;
    const item = firstCutItem(current, view);
    const delta = item ? item.getBoundingClientRect().top - view.top - MARGIN : 0;
    main.scrollBy({ top: delta > MARGIN ? delta : view.height * 0.85, behavior: 'instant' as ScrollBehavior });
    if (main.scrollTop !== before) return remember();
  }
  if (presentation.slide < all.length - 1) showSlide(presentation.slide + 1);
}

function previous(): void {
  const all = slides();
  const main = scroller();
  const current = all[presentation.slide];
  if (!main || !current) return showSlide(0);
  const view = main.getBoundingClientRect();
  const above = view.top + MARGIN - current.getBoundingClientRect().top;
  if (above > 1) {
    main.scrollBy({ top: -Math.min(above, view.height * 0.85), behavior: 'instant' as ScrollBehavior });
    return remember();
  }
  if (presentation.slide > 0) showSlide(presentation.slide - 1);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Go back to where the shown screen was left (or to its first slide). A screen loads
 * its data after mounting, so this waits briefly for the slide to exist.
 */
async function resume(): Promise<void> {
  const screen = presentation.screen;
  const place = places[screen];
  for (let i = 0; i < 60 && slides().length <= (place?.slide ?? 0); i++) await pause(50);
  if (!presentation.on || presentation.screen !== screen) return;
  const all = slides();
  if (!place) return showSlide(0);
  mark(place.slide, all);
  const main = scroller();
  if (main) main.scrollTop = place.scrollTop;
}

/** Enter or leave presentation mode on `screen` (the shown screen's id). */
export function setPresentation(on: boolean, screen = presentation.screen): void {
  if (on === presentation.on) return;
  if (!on) remember();
  presentation.on = on;
  presentation.adding = null;
  presentation.screen = screen;
  // The toggle keeps focus after a click; Space would press it again instead of moving on.
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  document.documentElement.classList.toggle('presenting', on);
  if (on) void resume();
  else document.querySelectorAll('.current-slide').forEach((el) => el.classList.remove('current-slide'));
}

/** Another screen is shown: keep presenting there, from where that screen was left. */
export function presentationScreenChanged(screen: string): void {
  if (screen === presentation.screen) return;
  if (presentation.on) remember();
  presentation.screen = screen;
  presentation.slide = 0;
  if (presentation.on) void resume();
}

/** Keydown handler for `<svelte:window onkeydown={presentationKeys} />`. */
export function presentationKeys(e: KeyboardEvent): void {
  if (!presentation.on || e.ctrlKey || e.metaKey || e.altKey) return;
  const target = e.target as HTMLElement | null;
  if (target && ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
  if (target?.isContentEditable) return;
  if (e.key === ' ' && target?.closest('button, a[href], summary, label, [role="button"], [role="radio"]')) return;
  if (e.key === 'Escape') {
    setPresentation(false);
  } else if (['ArrowDown', 'PageDown', ' ', 'ArrowRight'].includes(e.key)) {
    next();
  } else if (['ArrowUp', 'PageUp', 'ArrowLeft'].includes(e.key)) {
    previous();
  } else if (e.key === 'Home') {
    showSlide(0);
  } else if (e.key === 'End') {
    showSlide(slides().length - 1);
  } else if (e.key === 'd' || e.key === 'D') {
    presentation.adding = 'decision';
  } else if (e.key === 'p' || e.key === 'P') {
    presentation.adding = 'parking';
  } else {
    return;
  }
  e.preventDefault();
}
