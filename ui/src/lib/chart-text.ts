/**
 * Chart text that follows the page's type size. ECharts draws on a canvas with its own
 * pixel sizes (12 px axis labels), which presentation mode's larger root font does not
 * reach; `scaleChartText` multiplies every text size of an option (ECharts' defaults
 * where the option sets none), and the numeric grid margins that hold the labels.
 */

type Obj = Record<string, unknown>;

/** ECharts' default font sizes for the places charts put text. */
const DEFAULT = { axis: 12, legend: 12, label: 12, tooltip: 14, title: 18, subtitle: 12 };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function scaledStyle(style: unknown, size: number, f: number): Obj {
  const s = isObj(style) ? style : {};
  const base = typeof s.fontSize === 'number' ? s.fontSize : size;
  return { ...s, fontSize: Math.round(base * f) };
}

/** `o` with the text style under `key` scaled from `size` (ECharts' default) when it sets none. */
function withText(o: Obj, key: string, size: number, f: number): Obj {
  return { ...o, [key]: scaledStyle(o[key], size, f) };
}

const each = (v: unknown, fn: (o: Obj) => Obj): unknown => (Array.isArray(v) ? v.map((x) => (isObj(x) ? fn(x) : x)) : isObj(v) ? fn(v) : v);

function axis(a: Obj, f: number): Obj {
  let out = withText(a, 'axisLabel', DEFAULT.axis, f);
  if (out.name !== undefined) out = withText(out, 'nameTextStyle', DEFAULT.axis, f);
  if (typeof out.nameGap === 'number') out = { ...out, nameGap: Math.round(out.nameGap * f) };
  return out;
}

function marker(m: unknown, f: number): unknown {
  return isObj(m) ? withText(m, 'label', DEFAULT.label, f) : m;
}

function series(s: Obj, f: number): Obj {
  let out = withText(s, 'label', DEFAULT.label, f);
  if (out.endLabel !== undefined) out = withText(out, 'endLabel', DEFAULT.label, f);
  if (out.markLine !== undefined) out = { ...out, markLine: marker(out.markLine, f) };
  if (out.markPoint !== undefined) out = { ...out, markPoint: marker(out.markPoint, f) };
  if (typeof out.symbolSize === 'number') out = { ...out, symbolSize: Math.round(out.symbolSize * f) };
  return out;
}

function grid(g: Obj, f: number): Obj {
  const out: Obj = { ...g };
  for (const side of ['left', 'right', 'top', 'bottom']) {
    if (typeof g[side] === 'number') out[side] = Math.round((g[side] as number) * f);
  }
  return out;
}

function legend(l: Obj, f: number): Obj {
  const out = withText(l, 'textStyle', DEFAULT.legend, f);
  return { ...out, itemWidth: Math.round(((l.itemWidth as number) ?? 25) * f), itemHeight: Math.round(((l.itemHeight as number) ?? 14) * f) };
}

/** `option` with every text size times `factor`; the same object when `factor` is 1. */
export function scaleChartText<T extends object>(option: T, factor: number): T {
  if (!(factor > 0) || factor === 1) return option;
  const f = factor;
  const o = { ...(option as Obj) };
  o.textStyle = scaledStyle(o.textStyle, DEFAULT.label, f);
  for (const key of ['xAxis', 'yAxis']) if (o[key] !== undefined) o[key] = each(o[key], (a) => axis(a, f));
  if (o.series !== undefined) o.series = each(o.series, (s) => series(s, f));
  if (o.grid !== undefined) o.grid = each(o.grid, (g) => grid(g, f));
  if (o.legend !== undefined) o.legend = each(o.legend, (l) => legend(l, f));
  if (o.tooltip !== undefined) o.tooltip = each(o.tooltip, (t) => withText(t, 'textStyle', DEFAULT.tooltip, f));
  if (o.title !== undefined) {
    o.title = each(o.title, (t) => {
      const out = withText(t, 'textStyle', DEFAULT.title, f);
      return t.subtext !== undefined ? withText(out, 'subtextStyle', DEFAULT.subtitle, f) : out;
    });
  }
  return o as T;
}
