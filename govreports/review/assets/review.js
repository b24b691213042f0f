"use strict";
(function () {
  const cards = Array.from(document.querySelectorAll("article.cell"));
  const header = JSON.parse(document.body.dataset.header);
  const store = "govreports-review-" + document.body.dataset.key;
  const NUMBER = /^-?\d+(\.\d+)?$/;
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(store) || "{}"); } catch (e) { saved = {}; }
  const reviewer = document.getElementById("reviewer");
  reviewer.value = localStorage.getItem("govreports-reviewer") || "";
  reviewer.addEventListener("input", () => localStorage.setItem("govreports-reviewer", reviewer.value));
  let current = 0;

  const key = (c) => c.dataset.report + "\u0000" + c.dataset.cell;
  const same = (a, b) => a !== "" && b !== "" && NUMBER.test(a) && NUMBER.test(b) && Number(a) === Number(b);

  function decide(card, value) {
    // A confirmed reading of a cell read right is no correction (the check stays as it is); a typed value
    // that differs, or a confirmed reading of an uncertain cell, is one.
    const input = card.querySelector("input.val");
    value = value.trim();
    if (!NUMBER.test(value)) { input.classList.add("bad"); input.focus(); return false; }
    input.classList.remove("bad");
    const read = card.dataset.read;
    const kept = same(value, read);
    const row = kept && card.dataset.doubtful !== "1" ? null
      : { value: value, reason: kept ? "reading confirmed on the page" : "typed from the page (read " + (read || "blank") + ")" };
    saved[key(card)] = { value: value, row: row };
    persist();
    show(card);
    return true;
  }

  function show(card) {
    const d = saved[key(card)];
    const state = card.querySelector(".state");
    card.classList.toggle("done-fix", !!(d && d.row));
    card.classList.toggle("done-ok", !!(d && !d.row));
    state.textContent = !d ? "" : d.row ? "correction: " + d.value : "confirmed as read: no correction";
    if (d) card.querySelector("input.val").value = d.value;
  }

  function persist() {
    localStorage.setItem(store, JSON.stringify(saved));
    const done = cards.filter((c) => saved[key(c)]).length;
    const fixes = cards.filter((c) => saved[key(c)] && saved[key(c)].row).length;
    document.getElementById("progress").textContent = done + " / " + cards.length + " reviewed, " + fixes + " corrections";
  }

  function go(i) {
    if (!cards.length) return;
    current = Math.max(0, Math.min(cards.length - 1, i));
    cards.forEach((c, k) => c.classList.toggle("current", k === current));
    const card = cards[current];
    card.scrollIntoView({ block: "center" });
    const input = card.querySelector("input.val");
    input.focus();
    input.select();
  }

  function csvField(v) {
    v = String(v == null ? "" : v);
    return /[",\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }

  function download() {
    const today = new Date().toISOString().slice(0, 10);
    const lines = [header.join(",")];
    cards.forEach((c) => {
      const d = saved[key(c)];
      if (d && d.row) {
        lines.push([c.dataset.report, c.dataset.cell, d.row.value, d.row.reason, reviewer.value, today].map(csvField).join(","));
      }
    });
    const blob = new Blob(["\ufeff" + lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "corrections.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  cards.forEach((card, i) => {
    show(card);
    card.addEventListener("focusin", () => { current = i; cards.forEach((c, k) => c.classList.toggle("current", k === i)); });
    card.querySelector("button.ok").addEventListener("click", () => { if (decide(card, card.querySelector("input.val").value)) go(i + 1); });
    card.querySelector("button.undo").addEventListener("click", () => undo(card));
    card.querySelectorAll("button.cand").forEach((b) => b.addEventListener("click", () => {
      card.querySelector("input.val").value = b.dataset.v;
      if (decide(card, b.dataset.v)) go(i + 1);
    }));
  });

  function undo(card) {
    delete saved[key(card)];
    persist();
    card.querySelector("input.val").value = card.dataset.read;
    show(card);
  }

  document.getElementById("download").addEventListener("click", download);
  document.addEventListener("keydown", (ev) => {
    const card = cards[current];
    const inInput = ev.target instanceof HTMLInputElement && ev.target.id !== "reviewer";
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "s") { ev.preventDefault(); download(); return; }
    if (ev.target.id === "reviewer") return;
    if (ev.key === "ArrowDown" || (!inInput && ev.key === "j")) { ev.preventDefault(); go(current + 1); }
    else if (ev.key === "ArrowUp" || (!inInput && ev.key === "k")) { ev.preventDefault(); go(current - 1); }
    else if (ev.key === "Enter" && card) { ev.preventDefault(); if (decide(card, card.querySelector("input.val").value)) go(current + 1); }
    else if (ev.key === "Escape" && card) { ev.preventDefault(); undo(card); }
    else if (ev.altKey && /^[1-9]$/.test(ev.key) && card) {
      const b = card.querySelectorAll("button.cand")[Number(ev.key) - 1];
      if (b) { ev.preventDefault(); b.click(); }
    }
  });
  persist();
  if (cards.length) go(0);
})();
