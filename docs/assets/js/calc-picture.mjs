// Pictures of a result, drawn as inline SVG from Python's numbers: no library, no request, no
// inline style (colours come from calculators.css classes, so both schemes and print work). Each
// picture has its words beside it (a figcaption and a list), so nothing is told by colour alone.
import { el, num } from "./calc-common.mjs";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  for (const child of children.flat()) if (child) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/** A bar of the school year: absent, attended, still to come; a line where each definition
 * makes the student chronically absent (days absent, counted from the left). */
export function yearBar(p) {
  if (!p || !p.period) return null;
  const x = (days) => (Math.min(days, p.period) / p.period) * WIDTH;
  const top = 22;
  const height = 28;
  const parts = [
    ["absent", 0, p.absent],
    ["attended", p.absent, p.attended],
    ["to-come", p.absent + p.attended, p.to_come],
  ];
  const marks = p.marks.filter((m) => m.at !== null);
  const picture = svg(
    "svg",
    { viewBox: `0 0 ${WIDTH} 84`, class: "calc-bar", role: "img", "aria-hidden": "true", focusable: "false" },
    parts.filter(([, , days]) => days > 0).map(([kind, start, days]) => svg("rect", { class: `calc-bar-${kind}`, x: x(start), y: top, width: x(days), height })),
    svg("rect", { class: "calc-bar-frame", x: 0.5, y: top + 0.5, width: WIDTH - 1, height: height - 1 }),
    marks.map((m, index) => {
      // Labels alternate above and below the bar, so two close lines never overlap their names.
      const above = index % 2 === 0;
      const at = x(m.at);
      const anchor = at < 40 ? "start" : at > WIDTH - 40 ? "end" : "middle";
      return svg(
        "g",
        { class: `calc-bar-mark calc-bar-mark-${index}` },
        svg("line", { x1: at, x2: at, y1: above ? top - 6 : top, y2: above ? top + height : top + height + 6 }),
        svg("text", { x: at, y: above ? top - 9 : top + height + 17, "text-anchor": anchor }, m.name),
      );
    }),
  );
  const legend = el(
    "ul",
    { class: "calc-bar-legend" },
    parts.filter(([, , days]) => days > 0).map(([kind, , days]) => el("li", {}, el("span", { class: `calc-key calc-bar-${kind}` }), `${p.labels[kind.replace("-", "_")]}: ${num(days)}`)),
    p.marks.map((m, index) => el("li", {}, el("span", { class: `calc-key calc-key-line calc-bar-mark-${index}` }), m.text)),
  );
  return el("figure", { class: "calc-picture" }, el("figcaption", {}, el("strong", {}, p.title), " ", p.text), picture, legend);
}

/** Each capped reason's use against its max: one bar per reason and period. */
export function capBars(caps) {
  if (!caps || !caps.length) return null;
  const rows = caps.map((c) => {
    const over = c.not_excused > 0;
    const total = Math.max(c.max, c.used + c.not_excused);
    const w = (days) => (days / total) * WIDTH;
    return el(
      "li",
      { "data-reason": c.reason },
      el("span", { class: "calc-cap-name" }, c.text),
      svg(
        "svg",
        { viewBox: `0 0 ${WIDTH} 20`, class: "calc-bar calc-cap-bar", "aria-hidden": "true", focusable: "false" },
        c.used ? svg("rect", { class: "calc-bar-used", x: 0, y: 2, width: w(c.used), height: 16 }) : null,
        over ? svg("rect", { class: "calc-bar-over", x: w(c.used), y: 2, width: w(c.not_excused), height: 16 }) : null,
        svg("rect", { class: "calc-bar-frame", x: 0.5, y: 2.5, width: w(c.max) - 1, height: 15 }),
      ),
    );
  });
  return el("ul", { class: "calc-picture calc-caps" }, rows);
}
