// The social card (courier/engine/starters/stills.py SOCIAL_CARD) as satori draws it: the same size, gradient, disc,
// accent bar, texts and Inter fonts; every render changes the headline, as our bench does. Prints JSON timings (ms).
import { readFileSync, writeFileSync } from "node:fs";
import satori from "satori";
import { Resvg } from "@resvg/resvg-js";

const [fontDir, runs, out] = [process.argv[2], Number(process.argv[3] || 30), process.argv[4]];
const fonts = [
  { name: "Inter", data: readFileSync(`${fontDir}/Inter-Regular.ttf`), weight: 400, style: "normal" },
  { name: "Inter", data: readFileSync(`${fontDir}/Inter-Bold.ttf`), weight: 700, style: "normal" },
];
const h = (type, style, children) => ({ type, props: { style, children } });
const card = (headline) =>
  h("div", {
    width: 1200, height: 630, display: "flex", position: "relative", fontFamily: "Inter",
    backgroundImage: "linear-gradient(135deg, #1e3a8a, #7c3aed)",
  }, [
    h("div", { position: "absolute", left: 860, top: -180, width: 520, height: 520, borderRadius: 260,
               backgroundColor: "rgba(255,255,255,0.08)" }),
    h("div", { position: "absolute", left: 80, top: 88, width: 96, height: 10, borderRadius: 5,
               backgroundColor: "#f472b6" }),
    h("div", { position: "absolute", left: 80, top: 130, width: 1040, height: 300, fontSize: 76, fontWeight: 700,
               color: "#ffffff", lineHeight: 1.2, display: "flex" }, headline),
    h("div", { position: "absolute", left: 80, top: 450, width: 1040, height: 50, fontSize: 34, color: "#e0e7ff",
               display: "flex" }, "A subtitle that says a little more"),
    h("div", { position: "absolute", left: 80, top: 540, width: 700, height: 40, fontSize: 26, fontWeight: 700,
               color: "#c7d2fe", display: "flex" }, "@yourbrand"),
  ]);

async function render(i) {
  const started = performance.now();
  const svg = await satori(card(`Render number ${i}`), { width: 1200, height: 630, fonts });
  const png = new Resvg(svg, { fitTo: { mode: "original" } }).render().asPng();
  return [performance.now() - started, png];
}

for (let i = 0; i < 5; i++) await render(i); // warm up
const times = [];
let last;
for (let i = 0; i < runs; i++) {
  const [ms, png] = await render(1000 + i);
  times.push(ms);
  last = png;
}
if (out) writeFileSync(out, last);
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(JSON.stringify({ p50: q(0.5), p95: q(0.95), runs, bytes: last.length }));
