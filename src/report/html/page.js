"use strict";
// teikit report: every view is built from the JSON in #teikit-data with DOM calls and
// textContent only; no data is ever parsed as markup. Errors are kept in
// window.__teikitErrors (the browser tests read it) and shown at the top of the page.
window.__teikitErrors = [];
window.addEventListener("error", (e) => { window.__teikitErrors.push(String(e.message || e)); });
window.addEventListener("unhandledrejection", (e) => { window.__teikitErrors.push(String(e.reason)); });
(function () {
  const origError = console.error;
  console.error = function (...args) { window.__teikitErrors.push(args.map(String).join(" ")); origError.apply(console, args); };
})();

const D = JSON.parse(document.getElementById("teikit-data").textContent);
const SEV = ["advice", "warning", "error"];
const SVGNS = "http://www.w3.org/2000/svg";
const main = document.getElementById("main");

// ---------- small helpers ----------
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
function svg(tag, attrs, ...children) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, String(v));
  }
  for (const c of children) if (c) e.append(c);
  return e;
}
const fmt = (n) => Number(n).toLocaleString("en");
const str = (i) => D.strings[i];
const link = (href, text, attrs) => el("a", Object.assign({ href }, attrs || {}), text);
// an authority URI becomes a link only when it is http(s)
function uriNode(u) {
  return /^https?:\/\//i.test(u) ? el("a", { href: u, rel: "noopener noreferrer" }, u) : el("span", {}, u);
}
function area(codeId) { const p = codeId.split("::"); return p.length > 1 ? p[1] : codeId; }
function personLinks(ids) {
  const f = document.createDocumentFragment();
  ids.forEach((p, i) => { if (i) f.append("; "); f.append(link("#person/" + p, D.persons[p].name)); });
  return f;
}
function placeLinks(ids) {
  const f = document.createDocumentFragment();
  ids.forEach((p, i) => { if (i) f.append("; "); f.append(link("#place/" + p, D.places[p].name)); });
  return f;
}
function letterPeople(l) { return l[4].concat(l[5]); }

// ---------- derived data ----------
const L = D.letters; // [id, date, start, end, senders, addressees, places, file, line]
const fileLetters = new Map();
L.forEach((l, i) => { if (!fileLetters.has(l[7])) fileLetters.set(l[7], []); fileLetters.get(l[7]).push(i); });
const personLetters = D.persons.map(() => []);
L.forEach((l, i) => { for (const p of new Set(letterPeople(l))) personLetters[p].push(i); });
const placeLetters = D.places.map(() => []);
L.forEach((l, i) => { for (const p of l[6]) placeLetters[p].push(i); });
// file paths are shown without the folder all of them share
const commonDir = (() => {
  if (D.files.length < 2) return D.files.length ? D.files[0].path.slice(0, D.files[0].path.lastIndexOf("/") + 1) : "";
  let p = D.files[0].path;
  for (const f of D.files) while (p && !f.path.startsWith(p)) p = p.slice(0, -1);
  return p.slice(0, p.lastIndexOf("/") + 1);
})();
function shortPath(f) { return D.files[f].path.slice(commonDir.length) || D.files[f].path; }
function validText(f) { const v = D.files[f].valid; return v === null ? "not validated" : v ? "valid" : "invalid"; }

// ---------- tabs and routing ----------
const VIEWS = [
  ["overview", "Overview"], ["diagnostics", "Diagnostics"], ["letters", "Letters"],
  ["network", "Network"], ["timeline", "Timeline"], ["persons", "Persons"], ["places", "Places"], ["files", "Files"],
];
const tabs = document.getElementById("tabs");
const tabButtons = VIEWS.map(([id, label]) => {
  const b = el("a", { role: "tab", href: "#" + id, id: "tab-" + id, "aria-selected": "false", tabindex: "-1" }, label);
  b.addEventListener("keydown", (e) => {
    const i = VIEWS.findIndex((v) => v[0] === id);
    let j = null;
    if (e.key === "ArrowRight") j = (i + 1) % VIEWS.length;
    if (e.key === "ArrowLeft") j = (i + VIEWS.length - 1) % VIEWS.length;
    if (e.key === "Home") j = 0;
    if (e.key === "End") j = VIEWS.length - 1;
    if (j !== null) { e.preventDefault(); location.hash = "#" + VIEWS[j][0]; tabButtons[j].focus(); }
  });
  tabs.append(b);
  return b;
});

function route() {
  const parts = (location.hash || "#overview").slice(1).split("/");
  const view = parts[0] || "overview";
  const tabOf = { file: "files", person: "persons", place: "places" }[view] || view;
  tabButtons.forEach((b, i) => {
    const on = VIEWS[i][0] === tabOf;
    b.setAttribute("aria-selected", on ? "true" : "false");
    b.setAttribute("tabindex", on ? "0" : "-1");
  });
  main.replaceChildren();
  main.setAttribute("data-view", view);
  const render = {
    overview: viewOverview, diagnostics: viewDiagnostics, letters: viewLetters, network: viewNetwork,
    timeline: viewTimeline, persons: viewPersons, places: viewPlaces, files: viewFiles,
    file: () => viewFile(+parts[1], parts[2] === undefined ? null : +parts[2]),
    person: () => viewPerson(+parts[1]), place: () => viewPlace(+parts[1]),
  }[view] || viewOverview;
  render();
  if (window.__teikitErrors.length) {
    main.prepend(el("p", { class: "page-error", role: "alert" }, "This page hit an error: " + window.__teikitErrors[0]));
  }
}
window.addEventListener("hashchange", route);

// ---------- overview ----------
function viewOverview() {
  const o = D.overview;
  const dl = el("dl", { class: "cards" });
  const card = (id, label, value, cls) => dl.append(el("div", { class: "card " + (cls || "") },
    el("dt", {}, label), el("dd", { id: "ov-" + id, "data-value": value }, typeof value === "number" ? fmt(value) : value)));
  card("files", "Files", o.files);
  card("valid", "Valid", o.valid, "ok");
  card("invalid", "Invalid", o.invalid, o.invalid ? "bad" : "");
  card("errors", "Errors", o.errors, o.errors ? "bad" : "");
  card("warnings", "Warnings", o.warnings, o.warnings ? "warn" : "");
  card("letters", "Letters", o.letters);
  card("persons", "Persons", o.persons);
  card("places", "Places", o.places);
  card("first", "First date", o.first_date || "–");
  card("last", "Last date", o.last_date || "–");
  main.append(el("h2", {}, "Overview"), dl);
  if (commonDir) main.append(el("p", { class: "muted" }, "Paths below are relative to " + commonDir));
  const notes = el("ul", { class: "notes" });
  if (o.undated) notes.append(el("li", {}, fmt(o.undated) + " letter(s) have no machine-readable date."));
  if (o.advice) notes.append(el("li", {}, fmt(o.advice) + " advice diagnostic(s)."));
  if (o.unreadable) notes.append(el("li", {}, fmt(o.unreadable) + " file(s) could not be read for the letter index."));
  if (o.diagnostics_left_out) notes.append(el("li", {}, fmt(o.diagnostics_left_out) + " diagnostic(s) past the first " + fmt(D.diagnostics.length) + " are counted above but not listed in this page; teikit validate --format json lists them all."));
  if (o.excerpts_left_out) notes.append(el("li", {}, fmt(o.excerpts_left_out) + " diagnostic(s) are listed without their source excerpt, to keep this page small."));
  notes.append(el("li", {}, "Exit status of the run: " + o.exit_code + " (as teikit validate's)."));
  main.append(notes);
  // the most frequent mistakes
  const byCode = new Map();
  for (const d of D.diagnostics) byCode.set(d[1], (byCode.get(d[1]) || 0) + 1);
  const top = [...byCode.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  if (top.length) {
    const t = el("table", { class: "data" }, el("caption", {}, "Most frequent diagnostics"),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Code"), el("th", { scope: "col" }, "What"), el("th", { scope: "col", class: "num" }, "Count"))));
    const tb = el("tbody");
    for (const [c, n] of top) tb.append(el("tr", {}, el("td", {}, link("#diagnostics/" + c, D.codes[c][0])), el("td", {}, D.codes[c][1]), el("td", { class: "num" }, fmt(n))));
    t.append(tb);
    main.append(t);
  }
  main.append(el("p", { class: "muted" }, "Generated by " + D.generator + "."));
}

// ---------- diagnostics ----------
const diagState = { severity: "", area: "", file: "", shown: new Map() };
function viewDiagnostics() {
  const openCode = location.hash.split("/")[1];
  main.append(el("h2", {}, "Diagnostics"));
  if (!D.diagnostics.length) { main.append(el("p", {}, "No diagnostics: every file is valid.")); return; }
  const areas = [...new Set(D.codes.map((c) => area(c[0])))].sort();
  const filesWith = [...new Set(D.diagnostics.map((d) => d[0]))].sort((a, b) => D.files[a].path < D.files[b].path ? -1 : 1);
  const sel = (id, label, options, value, on) => {
    const s = el("select", { id, onchange: (e) => on(e.target.value) });
    for (const [v, t] of options) s.append(el("option", { value: v, selected: v === value }, t));
    return el("label", {}, label + " ", s);
  };
  const list = el("div", { id: "diag-groups" });
  const draw = () => {
    list.replaceChildren();
    const groups = new Map(); // code -> Map(pattern -> [diag indices])
    let total = 0;
    D.diagnostics.forEach((d, i) => {
      if (diagState.severity !== "" && String(d[2]) !== diagState.severity) return;
      if (diagState.area && area(D.codes[d[1]][0]) !== diagState.area) return;
      if (diagState.file !== "" && String(d[0]) !== diagState.file) return;
      total++;
      if (!groups.has(d[1])) groups.set(d[1], new Map());
      const g = groups.get(d[1]);
      if (!g.has(d[4])) g.set(d[4], []);
      g.get(d[4]).push(i);
    });
    list.append(el("p", { id: "diag-count", "data-value": total }, fmt(total) + " diagnostic(s) in " + groups.size + " code(s)"));
    const sorted = [...groups.entries()].map(([c, g]) => [c, g, [...g.values()].reduce((a, v) => a + v.length, 0)]).sort((a, b) => b[2] - a[2]);
    for (const [c, g, n] of sorted) {
      const worst = Math.max(...[...g.values()].map((v) => D.diagnostics[v[0]][2]));
      const det = el("details", { class: "code", open: String(c) === openCode || sorted.length === 1 },
        el("summary", {}, el("span", { class: "sev " + SEV[worst] }, SEV[worst]), " ", el("code", {}, D.codes[c][0]), " — " + D.codes[c][1] + " ", el("span", { class: "count" }, "(" + fmt(n) + ")")));
      for (const [p, occ] of [...g.entries()].sort((a, b) => b[1].length - a[1].length)) {
        const files = new Set(occ.map((i) => D.diagnostics[i][0])).size;
        const pd = el("details", { class: "pattern" }, el("summary", {}, str(p) + " ", el("span", { class: "count" }, "(" + fmt(occ.length) + " in " + fmt(files) + " file(s))")));
        const ul = el("ul", { class: "occ" });
        const key = c + "/" + p;
        const more = el("button", { type: "button" }, "Show more");
        const fill = () => {
          const shown = diagState.shown.get(key) || 50;
          ul.replaceChildren();
          for (const i of occ.slice(0, shown)) {
            const d = D.diagnostics[i];
            ul.append(el("li", {}, link("#file/" + d[0] + "/" + i, shortPath(d[0]) + ":" + d[6] + ":" + d[7]), " " + str(d[3])));
          }
          more.hidden = occ.length <= shown;
        };
        more.addEventListener("click", () => { diagState.shown.set(key, (diagState.shown.get(key) || 50) + 200); fill(); });
        pd.addEventListener("toggle", () => { if (pd.open && !ul.childNodes.length) fill(); }, { once: false });
        pd.append(el("p", { class: "help" }, str(D.diagnostics[occ[0]][5])), ul, more);
        det.append(pd);
      }
      list.append(det);
    }
  };
  const filters = el("div", { class: "filters", role: "group", "aria-label": "Filter diagnostics" },
    sel("f-severity", "Severity", [["", "all"], ["2", "error"], ["1", "warning"], ["0", "advice"]], diagState.severity, (v) => { diagState.severity = v; draw(); }),
    sel("f-area", "Area", [["", "all"]].concat(areas.map((a) => [a, a])), diagState.area, (v) => { diagState.area = v; draw(); }),
    sel("f-file", "File", [["", "all"]].concat(filesWith.map((f) => [String(f), shortPath(f)])), diagState.file, (v) => { diagState.file = v; draw(); }));
  main.append(filters, list);
  draw();
}

// ---------- file view ----------
function viewFile(f, di) {
  const file = D.files[f];
  if (!file) { main.append(el("p", {}, "No such file.")); return; }
  main.append(el("h2", {}, file.path));
  main.append(el("p", {}, el("span", { class: "sev " + (file.valid === false ? "error" : "ok") }, validText(f)),
    " · schema " + (file.schema || "–") + " · " + fmt(file.counts[0]) + " error(s), " + fmt(file.counts[1]) + " warning(s)" +
    " · " + fmt((fileLetters.get(f) || []).length) + " letter(s)"));
  const mine = [];
  D.diagnostics.forEach((d, i) => { if (d[0] === f) mine.push(i); });
  const lines = new Map(file.lines.map((l) => [l[0], l]));
  if (di !== null && D.diagnostics[di] && D.diagnostics[di][0] === f) {
    const d = D.diagnostics[di];
    main.append(el("h3", {}, "Diagnostic at line " + d[6] + ", column " + d[7]));
    main.append(el("p", {}, el("span", { class: "sev " + SEV[d[2]] }, SEV[d[2]]), " ", el("code", {}, D.codes[d[1]][0]), " " + str(d[3])));
    main.append(el("p", { class: "help" }, str(d[5])));
    main.append(excerpt(d, lines));
  }
  const ul = el("ul", { class: "occ" });
  for (const i of mine.slice(0, 2000)) {
    const d = D.diagnostics[i];
    ul.append(el("li", { class: i === di ? "current" : null }, link("#file/" + f + "/" + i, d[6] + ":" + d[7]), " ", el("span", { class: "sev " + SEV[d[2]] }, SEV[d[2]]), " " + str(d[3])));
  }
  if (mine.length) main.append(el("h3", {}, "All diagnostics of this file (" + fmt(mine.length) + ")"), ul);
  const ls = fileLetters.get(f) || [];
  if (ls.length) main.append(el("h3", {}, "Letters in this file"), letterList(ls));
  const mark = main.querySelector("mark");
  if (mark) mark.scrollIntoView({ block: "center" });
}

function excerpt(d, lines) {
  const [, , , , , , line, col, endLine, endCol] = d;
  const first = Math.max(1, line - 1), last = Math.min(Math.max(endLine, line), line + 3) + 1;
  const pre = el("div", { class: "excerpt", role: "region", "aria-label": "Source excerpt" });
  let any = false;
  for (let n = first; n <= last; n++) {
    const l = lines.get(n);
    if (!l) continue;
    any = true;
    const chars = Array.from(l[2]);
    const from = l[1];
    let a = null, b = null; // highlighted char range on this line
    if (n === line) { a = col - from; b = endLine === line ? endCol - from : chars.length; }
    else if (n > line && n < endLine) { a = 0; b = chars.length; }
    else if (n === endLine && n > line) { a = 0; b = endCol - from; }
    const code = el("code", {});
    if (a !== null) {
      a = Math.max(0, Math.min(chars.length, a)); b = Math.max(a, Math.min(chars.length, b));
      code.append(chars.slice(0, a).join(""), el("mark", {}, chars.slice(a, Math.max(b, a + 1)).join("") || " "), chars.slice(Math.max(b, a + 1)).join(""));
    } else code.append(l[2]);
    pre.append(el("div", { class: "src-line" + (a !== null ? " hit" : "") }, el("span", { class: "ln", "aria-hidden": "true" }, String(n) + (from > 1 ? " …" : "")), code));
  }
  if (!any) return el("p", { class: "muted" }, "The source excerpt of this diagnostic was not kept (page size limit).");
  return pre;
}

// ---------- letters table ----------
const letterState = { sort: "date", dir: 1, q: "", validity: "", person: null, place: null, from: "", to: "", page: 0, size: 50 };
let searchText = null;
function letterHay(i) {
  if (!searchText) searchText = L.map((l) => [l[0], l[1], ...letterPeople(l).map((p) => D.persons[p].name), ...l[6].map((p) => D.places[p].name), D.files[l[7]].path].join(" ").toLowerCase());
  return searchText[i];
}
function dateKey(l, n) { return l[2] ? l[2].slice(0, n) : ""; }
function filteredLetters(unsorted) {
  const s = letterState, q = s.q.trim().toLowerCase();
  const out = [];
  for (let i = 0; i < L.length; i++) {
    const l = L[i];
    if (s.validity) { const v = validText(l[7]); if (v !== s.validity) continue; }
    if (s.person !== null && !l[4].includes(s.person) && !l[5].includes(s.person)) continue;
    if (s.place !== null && !l[6].includes(s.place)) continue;
    if (s.from && (!l[2] || dateKey(l, s.from.length) < s.from)) continue;
    if (s.to && (!l[2] || dateKey(l, s.to.length) > s.to)) continue;
    if (q && !letterHay(i).includes(q)) continue;
    out.push(i);
  }
  if (unsorted) return out;
  const key = {
    date: (i) => L[i][2] || null,
    sender: (i) => L[i][4].length ? D.persons[L[i][4][0]].name : null,
    addressee: (i) => L[i][5].length ? D.persons[L[i][5][0]].name : null,
    place: (i) => L[i][6].length ? D.places[L[i][6][0]].name : null,
    file: (i) => D.files[L[i][7]].path,
    valid: (i) => validText(L[i][7]),
  }[s.sort];
  const keys = new Map(out.map((i) => [i, key(i)]));
  const coll = new Intl.Collator("en");
  // letters without the value sort last either way
  out.sort((a, b) => {
    const x = keys.get(a), y = keys.get(b);
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    return (coll.compare(x, y) || a - b) * s.dir;
  });
  return out;
}
const COLS = [["date", "Date"], ["sender", "Sender"], ["addressee", "Addressee"], ["place", "Place"], ["file", "File"], ["valid", "Validity"]];
function viewLetters() {
  main.append(el("h2", {}, "Letters"));
  const s = letterState;
  const count = el("p", { id: "letters-count", "aria-live": "polite" });
  const table = el("table", { class: "data", id: "letters-table" });
  const body = el("tbody");
  const pager = el("div", { class: "pager" });
  const chips = el("div", { class: "chips" });
  const draw = () => {
    const rows = filteredLetters();
    const pages = Math.max(1, Math.ceil(rows.length / s.size));
    s.page = Math.min(s.page, pages - 1);
    count.setAttribute("data-value", rows.length);
    count.textContent = fmt(rows.length) + " of " + fmt(L.length) + " letter(s)";
    body.replaceChildren();
    for (const i of rows.slice(s.page * s.size, (s.page + 1) * s.size)) {
      const l = L[i];
      body.append(el("tr", { "data-letter": i, "data-start": l[2] },
        el("td", { "data-col": "date" }, l[1] || "–"), el("td", { "data-col": "sender" }, personLinks(l[4])), el("td", { "data-col": "addressee" }, personLinks(l[5])),
        el("td", { "data-col": "place" }, placeLinks(l[6])), el("td", { "data-col": "file" }, link("#file/" + l[7], shortPath(l[7]) + ":" + l[8], { title: D.files[l[7]].path })),
        el("td", { "data-col": "valid", class: D.files[l[7]].valid === false ? "bad" : "" }, validText(l[7]))));
    }
    pager.replaceChildren(
      el("button", { type: "button", id: "page-prev", disabled: s.page === 0, onclick: () => { s.page--; draw(); } }, "Previous"),
      el("span", {}, " page " + (s.page + 1) + " of " + pages + " "),
      el("button", { type: "button", id: "page-next", disabled: s.page >= pages - 1, onclick: () => { s.page++; draw(); } }, "Next"));
    chips.replaceChildren();
    const chip = (label, clear) => chips.append(el("button", { type: "button", class: "chip", onclick: () => { clear(); s.page = 0; draw(); } }, label + " ✕"));
    if (s.person !== null) chip("person: " + D.persons[s.person].name, () => { s.person = null; });
    if (s.place !== null) chip("place: " + D.places[s.place].name, () => { s.place = null; });
    if (s.from || s.to) chip("dates: " + (s.from || "…") + " – " + (s.to || "…"), () => { s.from = ""; s.to = ""; });
    for (const th of table.querySelectorAll("th")) th.setAttribute("aria-sort", th.dataset.col === s.sort ? (s.dir > 0 ? "ascending" : "descending") : "none");
  };
  const head = el("tr");
  for (const [k, label] of COLS) {
    head.append(el("th", { scope: "col", "data-col": k }, el("button", { type: "button", class: "sort", id: "sort-" + k, onclick: () => { s.dir = s.sort === k ? -s.dir : 1; s.sort = k; s.page = 0; draw(); } }, label)));
  }
  table.append(el("caption", { class: "sr" }, "Letters; column buttons sort"), el("thead", {}, head), body);
  const search = el("input", { type: "search", id: "letters-search", value: s.q, placeholder: "names, places, ids, files…" });
  let timer = null;
  const onSearch = () => { clearTimeout(timer); timer = setTimeout(() => { if (s.q === search.value) return; s.q = search.value; s.page = 0; draw(); }, 120); };
  for (const ev of ["input", "change", "search"]) search.addEventListener(ev, onSearch);
  const validity = el("select", { id: "letters-validity", onchange: (e) => { s.validity = e.target.value; s.page = 0; draw(); } });
  for (const [v, t] of [["", "all"], ["valid", "valid"], ["invalid", "invalid"], ["not validated", "not validated"]]) validity.append(el("option", { value: v, selected: v === s.validity }, t));
  main.append(el("div", { class: "filters" }, el("label", {}, "Search ", search), el("label", {}, "File validity ", validity)), chips, count, table, pager);
  draw();
}
function showLetters(patch) { Object.assign(letterState, { person: null, place: null, from: "", to: "", q: "", page: 0 }, patch); location.hash = "#letters"; }

function letterList(ids, limit) {
  const ul = el("ul", { class: "letters" });
  for (const i of ids.slice(0, limit || 200)) {
    const l = L[i];
    ul.append(el("li", {}, (l[1] || "undated") + " · ", personLinks(l[4]), " → ", personLinks(l[5]), l[6].length ? " · " : "", placeLinks(l[6]), " · ", link("#file/" + l[7], shortPath(l[7]))));
  }
  if (ids.length > (limit || 200)) ul.append(el("li", {}, "… and " + fmt(ids.length - (limit || 200)) + " more (see the letters table)"));
  return ul;
}

// ---------- network ----------
const netState = { min: null, focus: null };
function defaultMin() { return D.network.core.length ? D.network.core_min : 1; }
const coreIndex = new Map(D.network.core.map((p, k) => [p, k]));
// positions of the shown persons: the core's own layout when they all belong to it, else the
// whole network's; either way zoomed to fill the drawing
function positions(visible) {
  const useCore = coreIndex.size > 0 && [...visible].every((p) => coreIndex.has(p));
  const raw = new Map();
  for (const p of visible) {
    const k = coreIndex.get(p);
    raw.set(p, useCore ? [D.network.core_x[k], D.network.core_y[k]] : [D.network.x[p], D.network.y[p]]);
  }
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of raw.values()) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  const span = Math.max(x1 - x0, y1 - y0, 1), s = 880 / span;
  const ox = 60 + (880 - (x1 - x0) * s) / 2, oy = 60 + (880 - (y1 - y0) * s) / 2;
  const X = {}, Y = {};
  for (const [p, [x, y]] of raw) { X[p] = Math.round((x - x0) * s + ox); Y[p] = Math.round((y - y0) * s + oy); }
  return [X, Y];
}
function viewNetwork() {
  main.append(el("h2", {}, "Network"));
  if (!D.persons.length) { main.append(el("p", {}, "No correspondents in the letters.")); return; }
  if (netState.min === null) netState.min = defaultMin();
  const maxTotal = Math.max(...D.persons.map((p) => p.sent + p.received));
  const minInput = el("input", { type: "number", id: "net-min", min: 1, max: maxTotal, value: netState.min });
  const info = el("p", { id: "net-info", "aria-live": "polite" });
  const panel = el("aside", { id: "net-panel", "aria-live": "polite" });
  const box = el("div", { class: "net-box" });
  const alt = el("details", { class: "alt" });
  main.append(el("div", { class: "filters" }, el("label", {}, "Minimum letters per person ", minInput)), info,
    el("div", { class: "net-layout" }, box, panel), alt);
  const draw = () => {
    const total = (p) => D.persons[p].sent + D.persons[p].received;
    const visible = new Set();
    D.persons.forEach((p, i) => { if (total(i) >= netState.min || i === netState.focus) visible.add(i); });
    const edges = D.network.edges.filter((e) => visible.has(e[0]) && visible.has(e[1]) && e[0] !== e[1]);
    info.textContent = fmt(visible.size) + " of " + fmt(D.persons.length) + " person(s), " + fmt(edges.length) + " connection(s) shown; circle size: letters, line width: letters between two persons. Click or press Enter on a person to focus.";
    const s = svg("svg", { viewBox: "0 0 1000 1000", role: "img", "aria-labelledby": "net-title net-desc", id: "net-svg", class: edges.length > 800 ? "dense" : "" });
    s.append(svg("title", { id: "net-title", text: "Correspondence network" }),
      svg("desc", { id: "net-desc", text: fmt(visible.size) + " persons and " + fmt(edges.length) + " connections; the table below the chart lists them." }));
    s.append(svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse" }, svg("path", { d: "M0,0L10,5L0,10z", fill: "#6b7280" }))));
    const [X, Y] = positions(visible);
    // the largest circle shrinks as more persons are shown, so that neighbours stay apart
    const rMax = Math.max(6, Math.min(22, 420 / Math.sqrt(visible.size || 1)));
    const r = (p) => 2.5 + (rMax - 2.5) * Math.sqrt(total(p) / maxTotal);
    const gE = svg("g", { class: "edges" });
    for (const [a, b, n] of edges) {
      const dx = X[b] - X[a], dy = Y[b] - Y[a], len = Math.hypot(dx, dy) || 1;
      const ux = dx / len, uy = dy / len;
      gE.append(svg("line", { x1: X[a] + ux * r(a), y1: Y[a] + uy * r(a), x2: X[b] - ux * (r(b) + 2), y2: Y[b] - uy * (r(b) + 2),
        "stroke-width": Math.min(8, 0.8 + Math.log2(n + 1)), "marker-end": "url(#arrow)", "data-a": a, "data-b": b },
        svg("title", { text: D.persons[a].name + " → " + D.persons[b].name + ": " + n + " letter(s)" })));
    }
    const gN = svg("g", { class: "nodes" });
    const order = [...visible].sort((a, b) => total(b) - total(a));
    const labelled = new Set(order.slice(0, 25));
    for (const p of order) {
      const g = svg("g", { class: "node", tabindex: 0, role: "button", "data-person": p, "aria-label": D.persons[p].name + ": " + total(p) + " letter(s)" });
      g.append(svg("circle", { cx: X[p], cy: Y[p], r: r(p) }), svg("title", { text: D.persons[p].name + ": " + D.persons[p].sent + " sent, " + D.persons[p].received + " received" }));
      if (labelled.has(p) || p === netState.focus) g.append(svg("text", { x: X[p] + r(p) + 3, y: Y[p] + 4, text: D.persons[p].name }));
      g.addEventListener("click", () => focusPerson(p));
      g.addEventListener("mouseenter", () => { if (netState.focus === null) highlight(p); });
      g.addEventListener("mouseleave", () => { if (netState.focus === null) highlight(null); });
      g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); focusPerson(p); } });
      gN.append(g);
    }
    s.append(gE, gN);
    box.replaceChildren(s);
    // text alternative
    alt.replaceChildren(el("summary", {}, "The network as a table"));
    const t = el("table", { class: "data" }, el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Sender"), el("th", { scope: "col" }, "Addressee"), el("th", { scope: "col", class: "num" }, "Letters"))));
    const tb = el("tbody");
    for (const [a, b, n] of [...edges].sort((x, y) => y[2] - x[2]).slice(0, 300)) tb.append(el("tr", {}, el("td", {}, link("#person/" + a, D.persons[a].name)), el("td", {}, link("#person/" + b, D.persons[b].name)), el("td", { class: "num" }, fmt(n))));
    t.append(tb);
    alt.append(t);
    applyFocus();
  };
  const applyFocus = () => {
    const s = box.querySelector("svg");
    if (!s) return;
    const f = netState.focus;
    s.setAttribute("data-focus", f === null ? "" : f);
    highlight(f);
    panel.replaceChildren();
    if (f === null) { panel.append(el("p", { class: "muted" }, "No person focused.")); return; }
    const p = D.persons[f];
    panel.append(el("h3", { id: "net-focus-name" }, p.name), el("p", {}, fmt(p.sent) + " sent, " + fmt(p.received) + " received · ", link("#person/" + f, "person view")),
      el("button", { type: "button", onclick: () => { netState.focus = null; draw(); } }, "Clear focus"), letterList(personLetters[f], 50));
  };
  // a person and their correspondents stand out, the rest fades (on focus, and on hover)
  function highlight(f) {
    const s = box.querySelector("svg");
    if (!s) return;
    s.classList.toggle("focused", f !== null);
    const near = new Set(f === null ? [] : [f]);
    if (f !== null) for (const [a, b] of D.network.edges) { if (a === f) near.add(b); if (b === f) near.add(a); }
    for (const g of s.querySelectorAll(".node")) { const p = +g.dataset.person; g.classList.toggle("near", near.has(p)); g.classList.toggle("current", p === f); }
    for (const l of s.querySelectorAll(".edges line")) l.classList.toggle("near", f !== null && (+l.dataset.a === f || +l.dataset.b === f));
  }
  function focusPerson(p) { netState.focus = p; if (!box.querySelector('[data-person="' + p + '"] text')) draw(); else applyFocus(); }
  minInput.addEventListener("change", () => { netState.min = Math.max(1, +minInput.value || 1); draw(); });
  draw();
}

// ---------- timeline ----------
const tlState = { unit: "year" };
function viewTimeline() {
  main.append(el("h2", {}, "Timeline"));
  const dated = L.filter((l) => l[2]);
  if (!dated.length) { main.append(el("p", {}, "No dated letters.")); return; }
  const years = dated.map((l) => +l[2].slice(0, 4)).filter((y) => !isNaN(y));
  const y0 = Math.min(...years), y1 = Math.max(...years);
  let unit = tlState.unit;
  if (unit === "month" && (y1 - y0 + 1) * 12 > 1200) unit = "year";
  const bins = [];
  if (unit === "year") for (let y = y0; y <= y1; y++) bins.push(String(y).padStart(4, "0"));
  else for (let y = y0; y <= y1; y++) for (let m = 1; m <= 12; m++) bins.push(String(y).padStart(4, "0") + "-" + String(m).padStart(2, "0"));
  const width = unit === "year" ? 4 : 7;
  const binOf = new Map(bins.map((b, i) => [b, i]));
  // stacks: the five most frequent senders, then everyone else
  const sent = new Map();
  for (const l of dated) for (const p of l[4]) sent.set(p, (sent.get(p) || 0) + 1);
  const topS = [...sent.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map((e) => e[0]);
  const stacks = topS.map((p) => D.persons[p].name).concat(["others"]);
  const counts = bins.map(() => new Array(stacks.length).fill(0));
  let coarse = 0;
  for (const l of dated) {
    if (l[2].length < width) { coarse++; continue; }
    const b = binOf.get(l[2].slice(0, width));
    if (b === undefined) continue;
    const k = l[4].length ? topS.indexOf(l[4][0]) : -1;
    counts[b][k >= 0 ? k : stacks.length - 1]++;
  }
  const unitSel = el("select", { id: "tl-unit", onchange: (e) => { tlState.unit = e.target.value; route(); } });
  for (const u of ["year", "month"]) unitSel.append(el("option", { value: u, selected: u === unit }, "per " + u));
  const from = el("input", { id: "tl-from", size: 8, value: letterState.from, placeholder: unit === "year" ? "YYYY" : "YYYY-MM", "aria-label": "From" });
  const to = el("input", { id: "tl-to", size: 8, value: letterState.to, placeholder: unit === "year" ? "YYYY" : "YYYY-MM", "aria-label": "To" });
  const status = el("p", { id: "tl-status", "aria-live": "polite" });
  const apply = (a, b) => {
    letterState.from = a; letterState.to = b; letterState.page = 0; from.value = a; to.value = b;
    const n = filteredLetters(true).length;
    status.replaceChildren((a || b) ? "Letters table filtered to " + (a || "…") + " – " + (b || "…") + ": " + fmt(n) + " letter(s). " : "No date filter. ", link("#letters", "Show the letters table"));
    drawBrush();
  };
  main.append(el("div", { class: "filters" }, el("label", {}, "Bars ", unitSel), " Filter the letters from ", from, " to ", to,
    el("button", { type: "button", id: "tl-apply", onclick: () => apply(from.value.trim(), to.value.trim()) }, "Apply"),
    el("button", { type: "button", onclick: () => apply("", "") }, "Clear")), status);
  const max = Math.max(1, ...counts.map((c) => c.reduce((a, b) => a + b, 0)));
  const W = 1000, H = 300, pad = 30, bw = (W - pad) / bins.length;
  const colors = ["#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a", "#8c8c8c"];
  const s = svg("svg", { viewBox: "0 0 " + W + " " + (H + 40), role: "img", "aria-labelledby": "tl-title tl-desc", id: "tl-svg" });
  s.append(svg("title", { id: "tl-title", text: "Letters per " + unit }), svg("desc", { id: "tl-desc", text: dated.length + " dated letters from " + bins[0] + " to " + bins[bins.length - 1] + "; drag across the bars to filter the letters table; the table below lists the counts." }));
  const brush = svg("rect", { class: "brush", y: 0, height: H, x: 0, width: 0 });
  const g = svg("g");
  bins.forEach((b, i) => {
    let y = H;
    counts[i].forEach((n, k) => {
      if (!n) return;
      const h = n / max * (H - 10);
      y -= h;
      g.append(svg("rect", { x: pad + i * bw + 0.5, y, width: Math.max(1, bw - 1), height: h, fill: colors[k] }, svg("title", { text: b + ": " + n + " letter(s) " + (k < stacks.length - 1 ? "from " : "") + stacks[k] })));
    });
  });
  const step = Math.ceil(bins.length / 12);
  for (let i = 0; i < bins.length; i += step) g.append(svg("text", { x: pad + i * bw, y: H + 16, class: "axis", text: bins[i] }));
  g.append(svg("text", { x: 0, y: 12, class: "axis", text: String(max) }));
  s.append(g, brush);
  function drawBrush() {
    const a = binOf.get(letterState.from), b = binOf.get(letterState.to);
    if (a === undefined && b === undefined) { brush.setAttribute("width", 0); return; }
    const i = a === undefined ? 0 : a, j = b === undefined ? bins.length - 1 : b;
    brush.setAttribute("x", pad + Math.min(i, j) * bw); brush.setAttribute("width", (Math.abs(j - i) + 1) * bw);
  }
  const binAt = (ev) => {
    const pt = s.createSVGPoint(); pt.x = ev.clientX; pt.y = ev.clientY;
    const p = pt.matrixTransform(s.getScreenCTM().inverse());
    return Math.max(0, Math.min(bins.length - 1, Math.floor((p.x - pad) / bw)));
  };
  let start = null;
  s.addEventListener("pointerdown", (e) => { start = binAt(e); s.setPointerCapture(e.pointerId); apply(bins[start], bins[start]); });
  s.addEventListener("pointermove", (e) => { if (start === null) return; const j = binAt(e); apply(bins[Math.min(start, j)], bins[Math.max(start, j)]); });
  s.addEventListener("pointerup", () => { start = null; });
  const legend = el("ul", { class: "legend" });
  stacks.forEach((n, k) => legend.append(el("li", {}, el("span", { class: "swatch", style: "background:" + colors[k] }), n)));
  main.append(el("div", { class: "tl-box" }, s), legend);
  if (coarse) main.append(el("p", { class: "muted" }, fmt(coarse) + " letter(s) dated only to the year are not in the month bars."));
  const alt = el("details", { class: "alt" }, el("summary", {}, "The timeline as a table"));
  const t = el("table", { class: "data" }, el("thead", {}, el("tr", {}, el("th", { scope: "col" }, unit), ...stacks.map((n) => el("th", { scope: "col", class: "num" }, n)))));
  const tb = el("tbody");
  bins.forEach((b, i) => { if (counts[i].some((n) => n)) tb.append(el("tr", {}, el("td", {}, b), ...counts[i].map((n) => el("td", { class: "num" }, String(n))))); });
  t.append(tb); alt.append(t); main.append(alt);
  apply(letterState.from, letterState.to);
}

// ---------- persons and places ----------
function entityTable(kind, rows, cols, id, prefix) {
  const state = { sort: cols[0][0], dir: 1, q: "", shown: 200 };
  const count = el("p", { id: id + "-count" });
  const body = el("tbody");
  const head = el("tr");
  const draw = () => {
    const q = state.q.toLowerCase();
    let r = rows.filter((x) => !q || x.name.toLowerCase().includes(q));
    const k = state.sort;
    r.sort((a, b) => ((typeof a[k] === "number" ? a[k] - b[k] : String(a[k]).localeCompare(String(b[k]))) || a.i - b.i) * state.dir);
    count.textContent = fmt(r.length) + " " + kind;
    count.setAttribute("data-value", r.length);
    body.replaceChildren();
    for (const x of r.slice(0, state.shown)) body.append(el("tr", {}, ...cols.map(([c], j) => el("td", { class: typeof x[c] === "number" ? "num" : "" }, j === 0 ? link(prefix + x.i, x.name) : String(x[c])))));
    more.hidden = r.length <= state.shown;
  };
  for (const [c, label] of cols) head.append(el("th", { scope: "col" }, el("button", { type: "button", class: "sort", onclick: () => { state.dir = state.sort === c ? -state.dir : (c === "name" ? 1 : -1); state.sort = c; draw(); } }, label)));
  const search = el("input", { type: "search", id: id + "-search", "aria-label": "Search " + kind });
  for (const ev of ["input", "change", "search"]) search.addEventListener(ev, () => { state.q = search.value; draw(); });
  const more = el("button", { type: "button", onclick: () => { state.shown += 500; draw(); } }, "Show more");
  main.append(el("div", { class: "filters" }, el("label", {}, "Search ", search)), count, el("table", { class: "data" }, el("thead", {}, head), body), more);
  draw();
}
function correspondents(p) {
  const c = new Map();
  for (const i of personLetters[p]) for (const q of letterPeople(L[i])) if (q !== p) c.set(q, (c.get(q) || 0) + 1);
  return [...c.entries()].sort((a, b) => b[1] - a[1]);
}
function viewPersons() {
  main.append(el("h2", {}, "Persons"));
  entityTable("persons", D.persons.map((p, i) => ({ i, name: p.name, sent: p.sent, received: p.received, uris: p.uris.length ? "yes" : "no" })),
    [["name", "Name"], ["sent", "Sent"], ["received", "Received"], ["uris", "Authority URI"]], "persons", "#person/");
}
function viewPerson(p) {
  const x = D.persons[p];
  if (!x) { main.append(el("p", {}, "No such person.")); return; }
  main.append(el("h2", {}, x.name), el("p", {}, fmt(x.sent) + " letter(s) sent, " + fmt(x.received) + " received."));
  main.append(el("p", {}, el("button", { type: "button", id: "person-network", onclick: () => { netState.focus = p; location.hash = "#network"; } }, "Focus in the network"), " ",
    el("button", { type: "button", onclick: () => showLetters({ person: p }) }, "Show in the letters table")));
  main.append(el("h3", {}, "Authority URIs"));
  const u = el("ul"); for (const s of x.uris) u.append(el("li", {}, uriNode(s)));
  main.append(x.uris.length ? u : el("p", { class: "muted" }, "None."));
  main.append(el("h3", {}, "Correspondents"));
  const c = el("ul");
  for (const [q, n] of correspondents(p).slice(0, 200)) c.append(el("li", {}, link("#person/" + q, D.persons[q].name), " (" + n + ")"));
  main.append(c);
  const sentL = personLetters[p].filter((i) => L[i][4].includes(p)), recL = personLetters[p].filter((i) => L[i][5].includes(p));
  main.append(el("h3", {}, "Letters sent (" + fmt(sentL.length) + ")"), letterList(sentL), el("h3", {}, "Letters received (" + fmt(recL.length) + ")"), letterList(recL));
}
function viewPlaces() {
  main.append(el("h2", {}, "Places of sending"));
  entityTable("places", D.places.map((p, i) => ({ i, name: p.name, letters: placeLetters[i].length, uris: p.uris.length ? "yes" : "no" })),
    [["name", "Name"], ["letters", "Letters"], ["uris", "GeoNames URI"]], "places", "#place/");
}
function viewPlace(p) {
  const x = D.places[p];
  if (!x) { main.append(el("p", {}, "No such place.")); return; }
  main.append(el("h2", {}, x.name), el("p", {}, fmt(placeLetters[p].length) + " letter(s) sent from here. ",
    el("button", { type: "button", onclick: () => showLetters({ place: p }) }, "Show in the letters table")));
  main.append(el("h3", {}, "Authority URIs"));
  const u = el("ul"); for (const s of x.uris) u.append(el("li", {}, uriNode(s)));
  main.append(x.uris.length ? u : el("p", { class: "muted" }, "None."));
  const who = new Map();
  for (const i of placeLetters[p]) for (const q of L[i][4]) who.set(q, (who.get(q) || 0) + 1);
  const w = el("ul");
  for (const [q, n] of [...who.entries()].sort((a, b) => b[1] - a[1]).slice(0, 200)) w.append(el("li", {}, link("#person/" + q, D.persons[q].name), " (" + n + ")"));
  main.append(el("h3", {}, "Writers"), w, el("h3", {}, "Letters"), letterList(placeLetters[p]));
}

// ---------- files ----------
function viewFiles() {
  main.append(el("h2", {}, "Files"));
  entityTable("files", D.files.map((f, i) => ({ i, name: f.path, validity: validText(i), errors: f.counts[0], warnings: f.counts[1], letters: (fileLetters.get(i) || []).length })),
    [["name", "Path"], ["validity", "Validity"], ["errors", "Errors"], ["warnings", "Warnings"], ["letters", "Letters"]], "files", "#file/");
}

route();
// when the first view was drawn, in ms since navigation began (scripts/bench-report.sh reads it)
window.__teikitFirstView = performance.now();
