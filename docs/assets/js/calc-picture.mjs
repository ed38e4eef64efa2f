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

/** Each reason's use against its max (excused absences): one square per day the max
 * allows, filled when used, open when left, then a crossed square for each day over the max.
 * The sentence beside each row says the same in words (`text` of each of `maxes`, from Python). */
export function maxSquares(maxes, words) {
  if (!maxes || !maxes.length) return null;
  const SIZE = 22;
  const GAP = 6;
  const rows = maxes.map((c) => {
    const cells = [];
    for (let i = 0; i < c.max_days; i += 1) cells.push(i < c.used ? "used" : "left");
    for (let i = 0; i < c.not_excused; i += 1) cells.push("over");
    // The days over the max stand apart from it, after a wider gap.
    const x = (i) => i * (SIZE + GAP) + (i >= c.max_days ? GAP * 2 : 0) + 2;
    const width = x(cells.length - 1) + SIZE + 4;
    const picture = svg(
      "svg",
      { viewBox: `0 0 ${width} ${SIZE + 4}`, width, height: SIZE + 4, class: "calc-squares", "aria-hidden": "true", focusable: "false" },
      cells.map((kind, i) => svg(
        "g",
        { class: `calc-square calc-square-${kind}` },
        svg("rect", { x: x(i), y: 2, width: SIZE, height: SIZE, rx: 3 }),
        kind === "over" ? svg("path", { d: `M${x(i) + 5} 7 L${x(i) + SIZE - 5} ${SIZE - 3} M${x(i) + SIZE - 5} 7 L${x(i) + 5} ${SIZE - 3}` }) : null,
      )),
    );
    return el(
      "li",
      { "data-reason": c.reason },
      el("span", { class: "calc-max-name" }, el("strong", {}, c.name), ` · ${c.max_text}`),
      picture,
      el("span", { class: "calc-max-text" }, c.text),
    );
  });
  const key = (kind, label) => el("li", {}, svg(
    "svg",
    { viewBox: "0 0 26 26", width: 18, height: 18, class: "calc-squares", "aria-hidden": "true", focusable: "false" },
    svg("g", { class: `calc-square calc-square-${kind}` }, svg("rect", { x: 2, y: 2, width: 22, height: 22, rx: 3 }),
      kind === "over" ? svg("path", { d: "M7 7 L19 19 M19 7 L7 19" }) : null),
  ), ` ${label}`);
  return el(
    "figure",
    { class: "calc-picture calc-maxes-picture" },
    el("figcaption", {}, el("strong", {}, words.picture_title)),
    el("ul", { class: "calc-maxes" }, rows),
    el("ul", { class: "calc-bar-legend calc-maxes-legend", "aria-hidden": "true" }, key("used", words.picture_used), key("left", words.picture_left), key("over", words.picture_over)),
  );
}
