/* examkit study page: draws a set of questions from the pool on every attempt, keeps answers
   and history in localStorage, scores in the browser, offline.

   The draw follows the blueprint's quotas (the units and quotas examkit's generator uses, sent
   by Python): exact quotas are filled scarcest first, each from its units in a random order
   weighted by the student's history, so missed questions come back more often than questions
   answered right. A thin pool gives the closest set it can, and says so.

   Each item type is one entry of TYPES (layout, answer, restore, blank, share, reveal); an item
   whose type has no entry is left out of the draws with a note on the page. The script moves
   elements the page already holds and sets text: it never builds HTML from strings. */
(function () {
  "use strict";

  var $ = function (id) { return document.getElementById(id); };
  var data = JSON.parse($("study-data").textContent);
  var A = examkitAnswers;
  var form = $("study");
  var attemptBox = $("attempt");
  var pool = $("pool");
  var partial = {};
  data.scoring.partial.forEach(function (t) { partial[t] = true; });

  // How much more likely an item is drawn: missed last time, never seen, answered right.
  var WEIGHT = { missed: 6, unseen: 2, right: 0.5 };
  var DRAW_TRIES = 80;

  /* ------------------------------------------------------------------ storage */

  var memory = {};
  var storage = {
    get: function () {
      try { return JSON.parse(window.localStorage.getItem(data.storage_key) || "null"); }
      catch (e) { return memory.state || null; }
    },
    set: function (state) {
      memory.state = state;
      try { window.localStorage.setItem(data.storage_key, JSON.stringify(state)); } catch (e) { /* kept in memory */ }
    }
  };
  var state = storage.get() || { history: {}, attempts: 0, attempt: null };
  function save() { storage.set(state); }

  /* ------------------------------------------------------------------ helpers */

  function box(index) { return $("i" + index); }
  function qsa(el, sel) { return Array.prototype.slice.call(el.querySelectorAll(sel)); }
  function shuffled(list) {
    var out = list.slice(), i, j, t;
    for (i = out.length - 1; i > 0; i--) { j = Math.floor(Math.random() * (i + 1)); t = out[i]; out[i] = out[j]; out[j] = t; }
    return out;
  }
  function range(n) { var out = []; for (var i = 0; i < n; i++) { out.push(i); } return out; }
  /* Reorder the children `sel` of `parent` to `order` (their data attribute `attr`). */
  function arrange(parent, sel, attr, order) {
    var byKey = {};
    qsa(parent, sel).forEach(function (el) { byKey[el.getAttribute(attr)] = el; });
    order.forEach(function (k) { if (byKey[k]) { parent.appendChild(byKey[k]); } });
  }
  function mark(el, ok) {
    if (!el) { return; }
    el.classList.remove("is-right", "is-wrong");
    var v = el.querySelector(":scope > .verdict");
    if (ok === null) { if (v) { v.textContent = ""; } return; }
    el.classList.add(ok ? "is-right" : "is-wrong");
    if (v) { v.textContent = ok ? "✓" : "✗"; }
  }
  function reveal(id) { var el = $(id); if (el) { el.hidden = false; } }

  /* ------------------------------------------------------------------ item types */

  /* Options shuffled around pinned ones, unless the item keeps its written order. */
  function choiceOrder(item) {
    var n = item.key.pins.length;
    if (!item.key.shuffle) { return range(n); }
    var head = [], free = [], tail = [];
    item.key.pins.forEach(function (pin, i) { (pin === "first" ? head : pin === "last" ? tail : free).push(i); });
    return head.concat(shuffled(free), tail);
  }

  var choice = {
    layout: function (el, item, order) { arrange(el.querySelector(".options"), ".option", "data-choice", order); },
    order: choiceOrder,
    answer: function (el) { return qsa(el, "input:checked").map(function (i) { return Number(i.value); }); },
    restore: function (el, item, value) { (value || []).forEach(function (v) { var i = $(el.id + "-o" + v); if (i) { i.checked = true; } }); },
    blank: function (value) { return !value || value.length === 0; },
    share: function (item, value) {
      var right = value.filter(function (v) { return item.key.correct.indexOf(v) >= 0; }).length;
      var wrong = value.length - right;
      if (item.type === "multiple" && partial.multiple) { return Math.max(0, (right - wrong) / item.key.correct.length); }
      return right === item.key.correct.length && wrong === 0 ? 1 : 0;
    },
    reveal: function (el, item, value) {
      qsa(el, ".option").forEach(function (opt) {
        var c = Number(opt.getAttribute("data-choice"));
        var correct = item.key.correct.indexOf(c) >= 0, chosen = (value || []).indexOf(c) >= 0;
        mark(opt, chosen || correct ? correct : null);
        opt.classList.toggle("missed", correct && !chosen);
        reveal(el.id + "-o" + c + "-why");
      });
    }
  };

  var TYPES = {
    single: choice,
    multiple: choice,
    matching: {
      order: function (item) {
        var n = item.key.correct.length;
        return item.key.shuffle ? shuffled(range(n)) : range(n);
      },
      layout: function (el, item, order) { arrange(el.querySelector(".premises"), ".premise", "data-premise", order); },
      answer: function (el, item) {
        return item.key.correct.map(function (_, p) { var v = $(el.id + "-p" + p).value; return v === "" ? null : Number(v); });
      },
      restore: function (el, item, value) {
        (value || []).forEach(function (v, p) { $(el.id + "-p" + p).value = v === null ? "" : String(v); });
      },
      blank: function (value) { return !value || value.every(function (v) { return v === null; }); },
      share: function (item, value) {
        var right = item.key.correct.filter(function (r, p) { return value[p] === r; }).length;
        var frac = right / item.key.correct.length;
        return partial.matching ? frac : (frac === 1 ? 1 : 0);
      },
      reveal: function (el, item, value) {
        item.key.correct.forEach(function (r, p) {
          mark(el.querySelector('.premise[data-premise="' + p + '"]'), (value || [])[p] === r);
          reveal(el.id + "-p" + p + "-why");
        });
        qsa(el, ".why[id^='" + el.id + "-r']").forEach(function (w) { w.hidden = false; });
      }
    },
    ordering: {
      // Never shown in the right order: that would give the answer away.
      order: function (item) {
        var n = item.key.steps, order = range(n), tries = 0;
        while (n > 1 && order.join() === range(n).join() && tries++ < 50) { order = shuffled(range(n)); }
        return order;
      },
      layout: function (el, item, order) { arrange(el.querySelector(".reorder"), ".step", "data-step", order); },
      // Untouched steps are not an answer; a moved list is (the page saves it on every move).
      answer: function (el) { return el.getAttribute("data-moved") ? qsa(el, ".step").map(function (s) { return Number(s.getAttribute("data-step")); }) : null; },
      restore: function (el, item, value) {
        if (value) { arrange(el.querySelector(".reorder"), ".step", "data-step", value); el.setAttribute("data-moved", "1"); }
      },
      blank: function (value) { return !value; },
      share: function (item, value) {
        var frac = A.orderingShare(range(item.key.steps), value);
        return partial.ordering ? frac : (frac === 1 ? 1 : 0);
      },
      reveal: function (el, item, value) {
        qsa(el, ".step").forEach(function (s, place) {
          var step = Number(s.getAttribute("data-step"));
          mark(s, value ? step === place : false);
          reveal(el.id + "-s" + step + "-why");
        });
      }
    },
    short: {
      order: function () { return null; },
      layout: function () {},
      answer: function (el) { return $(el.id + "-text").value; },
      restore: function (el, item, value) { $(el.id + "-text").value = value || ""; },
      blank: function (value) { return !String(value || "").trim(); },
      share: function (item, value) { return A.accepted(value, item.key.correct) ? 1 : 0; },
      reveal: function (el, item, value) { mark(el.querySelector(".short-answer"), A.accepted(value || "", item.key.correct)); }
    }
  };

  TYPES.numeric = {
    order: TYPES.short.order,
    layout: TYPES.short.layout,
    answer: TYPES.short.answer,
    restore: TYPES.short.restore,
    blank: TYPES.short.blank,
    share: function (item, value) { return A.numberWithin(value, item.key) ? 1 : 0; },
    reveal: function (el, item, value) { mark(el.querySelector(".short-answer"), TYPES.numeric.share(item, value) === 1); }
  };

  function handler(item) { return item.key ? TYPES[item.type] : undefined; }

  /* ------------------------------------------------------------------ the draw */

  var usable = [];
  var skipped = {};
  data.units.forEach(function (unit, u) {
    var ok = unit.items.every(function (i) { return handler(data.items[i]); });
    if (ok) { usable.push(u); } else {
      unit.items.forEach(function (i) { if (!handler(data.items[i])) { skipped[data.items[i].type] = (skipped[data.items[i].type] || 0) + 1; } });
    }
  });

  function weightOf(unit) {
    return Math.max.apply(null, unit.items.map(function (i) {
      var h = state.history[data.items[i].id];
      return !h ? WEIGHT.unseen : h.last === "missed" ? WEIGHT.missed : WEIGHT.right;
    }));
  }

  /* A random order in which heavier units tend to come first (Efraimidis and Spirakis). */
  function weightedOrder(units) {
    return units.map(function (u) { return [Math.pow(Math.random(), 1 / weightOf(data.units[u])), u]; })
      .sort(function (a, b) { return b[0] - a[0]; })
      .map(function (pair) { return pair[1]; });
  }

  function tryDraw() {
    var left = data.quotas.map(function (q) { return q.limit; });
    var chosen = [], count = 0, banned = {};
    function fits(u) {
      var unit = data.units[u];
      return !banned[u] && chosen.indexOf(u) < 0 && count + unit.items.length <= data.total &&
        unit.needs.every(function (need) { return left[need[0]] >= need[1]; });
    }
    function take(u) {
      var unit = data.units[u];
      chosen.push(u);
      count += unit.items.length;
      unit.needs.forEach(function (need) { left[need[0]] -= need[1]; });
      unit.enemies.forEach(function (e) { banned[e] = true; });
    }
    // Scarcest exact quota first, as the generator does.
    var supply = data.quotas.map(function () { return 0; });
    usable.forEach(function (u) { data.units[u].needs.forEach(function (need) { supply[need[0]] += need[1]; }); });
    var phases = range(data.quotas.length).filter(function (q) { return data.quotas[q].exact && data.quotas[q].limit > 0; })
      .sort(function (a, b) { return supply[a] / data.quotas[a].limit - supply[b] / data.quotas[b].limit || a - b; });
    var order = weightedOrder(usable);
    phases.forEach(function (q) {
      order.forEach(function (u) {
        if (left[q] > 0 && data.units[u].needs.some(function (need) { return need[0] === q; }) && fits(u)) { take(u); }
      });
    });
    order.forEach(function (u) { if (count < data.total && fits(u)) { take(u); } });
    var missing = data.quotas.reduce(function (sum, q, i) { return sum + (q.exact ? left[i] : 0); }, 0);
    return { units: chosen, count: count, missing: missing };
  }

  function draw() {
    var best = null;
    for (var t = 0; t < DRAW_TRIES; t++) {
      var got = tryDraw();
      if (!best || got.missing < best.missing || (got.missing === best.missing && got.count > best.count)) { best = got; }
      if (got.missing === 0 && got.count === data.total) { break; }
    }
    return best;
  }

  /* ------------------------------------------------------------------ an attempt on the page */

  function itemsOf(attempt) {
    var out = [];
    attempt.units.forEach(function (u) { data.units[u].items.forEach(function (i) { out.push(i); }); });
    return out;
  }

  function resetItem(index) {
    var el = box(index);
    qsa(el, "input[type=radio], input[type=checkbox]").forEach(function (i) { i.checked = false; });
    qsa(el, "input[type=text]").forEach(function (i) { i.value = ""; });
    qsa(el, "select").forEach(function (s) { s.value = ""; });
    qsa(el, ".why, .feedback").forEach(function (w) { w.hidden = true; });
    qsa(el, ".is-right, .is-wrong, .missed").forEach(function (m) { m.classList.remove("is-right", "is-wrong", "missed"); });
    qsa(el, ".verdict").forEach(function (v) { v.textContent = ""; });
    el.classList.remove("right", "partly", "wrong", "blank");
    el.removeAttribute("data-moved");
    qsa(el, "input, select, button").forEach(function (c) { c.disabled = false; });
  }

  function startAttempt() {
    var drawn = draw();
    var layouts = {};
    var attempt = { units: shuffled(drawn.units), layouts: layouts, answers: {}, started: Date.now(),
                    finished: false, number: (state.attempts || 0) + 1, short: data.total - drawn.count };
    itemsOf(attempt).forEach(function (i) { layouts[i] = TYPES[data.items[i].type].order(data.items[i]); });
    state.attempts = attempt.number;
    state.attempt = attempt;
    save();
    return attempt;
  }

  function showAttempt(attempt) {
    qsa(attemptBox, ".unit").forEach(function (u) { pool.appendChild(u); });
    var items = itemsOf(attempt);
    attempt.units.forEach(function (u) { attemptBox.appendChild($("u" + u)); });
    items.forEach(function (index, n) {
      var item = data.items[index], el = box(index), type = TYPES[item.type];
      resetItem(index);
      type.layout(el, item, attempt.layouts[index]);
      if (index in attempt.answers) { type.restore(el, item, attempt.answers[index]); }
      el.querySelector(".number").textContent = "Question " + (n + 1) + " of " + items.length;
    });
    $("fact-count").textContent = String(items.length);
    var thin = $("thin-note");
    thin.hidden = !attempt.short;
    thin.textContent = attempt.short ? "This page holds too few questions for a full set: this attempt has " +
      items.length + " of " + data.total + "." : "";
    $("results").hidden = true;
    if (attempt.finished) { showResults(attempt); }
    tick();
  }

  function record(el) {
    var fieldset = el.closest("fieldset.item");
    if (!fieldset || !state.attempt || state.attempt.finished) { return; }
    var index = Number(fieldset.getAttribute("data-index")), item = data.items[index];
    state.attempt.answers[index] = TYPES[item.type].answer(fieldset, item);
    save();
  }

  /* ------------------------------------------------------------------ ordering by keyboard and pointer */

  examkitReorder(attemptBox, record, function () { return state.attempt && state.attempt.finished; });

  attemptBox.addEventListener("change", function (event) { record(event.target); });
  attemptBox.addEventListener("input", function (event) { record(event.target); });

  /* ------------------------------------------------------------------ finishing */

  var LABELS = { right: "Right", partly: "Partly right", wrong: "Missed", blank: "Not answered" };

  function showResults(attempt) {
    var earned = 0, possible = 0, counts = { right: 0, partly: 0, wrong: 0, blank: 0 };
    var list = $("by-item");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    itemsOf(attempt).forEach(function (index) {
      var item = data.items[index], el = box(index), type = TYPES[item.type];
      var value = attempt.answers[index];
      var blank = value === undefined || type.blank(value);
      var got = blank ? 0 : type.share(item, value);
      var points = got * item.points;
      if (!blank && got === 0 && data.scoring.negative) { points = -data.scoring.negative * item.points; }
      earned += points;
      possible += item.points;
      var kind = blank ? "blank" : got === 1 ? "right" : got > 0 ? "partly" : "wrong";
      counts[kind] += 1;
      type.reveal(el, item, blank ? null : value);
      el.classList.add(kind);
      $(el.id + "-status").textContent = LABELS[kind] + ": " + A.round(points) + " of " + item.points +
        (item.points === 1 ? " point." : " points.");
      $(el.id + "-feedback").hidden = false;

      var li = document.createElement("li"), tag = document.createElement("strong"), link = document.createElement("a");
      li.className = kind;
      li.setAttribute("data-item", item.id);
      tag.textContent = LABELS[kind];
      link.href = "#" + el.id;
      link.textContent = item.topic + " — " + item.label;
      li.appendChild(tag);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(link);
      list.appendChild(li);
    });
    earned = Math.max(0, earned);
    var fraction = possible ? earned / possible : 0;
    $("score-points").textContent = String(A.round(earned));
    $("score-possible").textContent = String(A.round(possible));
    $("score-percent").textContent = String(A.round1(fraction * 100));
    var result = A.verdict(data.scoring, fraction);
    $("score-scaled-wrap").hidden = result.scaled === null;
    if (result.scaled !== null) { $("score-scaled").textContent = String(result.scaled); }
    $("score-verdict").textContent = result.text ? "Result: " + result.text + "." : "";
    $("score-counts").textContent = counts.right + " right, " + counts.partly + " partly right, " +
      counts.wrong + " missed, " + counts.blank + " not answered.";
    $("history-line").textContent = "Attempt " + attempt.number + (attempt.timedOut ? " (time ran out)" : "") +
      ". Your next attempt brings back the questions you missed more often.";
    $("results").hidden = false;
    qsa(attemptBox, "input, select, .reorder button").forEach(function (c) { c.disabled = true; });
  }

  function finish(timedOut) {
    var attempt = state.attempt;
    if (!attempt || attempt.finished) { return; }
    // Read every answer from the page once more: the last keystroke is never lost.
    itemsOf(attempt).forEach(function (index) { attempt.answers[index] = TYPES[data.items[index].type].answer(box(index), data.items[index]); });
    attempt.finished = true;
    attempt.timedOut = !!timedOut;
    itemsOf(attempt).forEach(function (index) {
      var item = data.items[index], type = TYPES[item.type], value = attempt.answers[index];
      var right = value !== undefined && !type.blank(value) && type.share(item, value) === 1;
      var h = state.history[item.id] || { right: 0, missed: 0 };
      h[right ? "right" : "missed"] += 1;
      h.last = right ? "right" : "missed";
      state.history[item.id] = h;
    });
    save();
    showResults(attempt);
    $("results-heading").focus();
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); finish(false); });

  $("new-attempt").addEventListener("click", function () {
    showAttempt(startAttempt());
    window.scrollTo(0, 0);
    attemptBox.focus();
  });

  /* ------------------------------------------------------------------ the timer */

  var timer = $("timer");
  function tick() {
    var attempt = state.attempt;
    if (!data.time_limit_minutes || !attempt) { return; }
    timer.hidden = false;
    if (attempt.finished) { timer.textContent = "Time limit: " + data.time_limit_minutes + " minutes."; return; }
    var left = Math.max(0, Math.round((attempt.started + data.time_limit_minutes * 60000 - Date.now()) / 1000));
    var mm = Math.floor(left / 60), ss = left % 60;
    timer.textContent = "Time left: " + mm + ":" + (ss < 10 ? "0" : "") + ss;
    timer.classList.toggle("low", left < 60);
    if (left === 0) { finish(true); }
  }
  if (data.time_limit_minutes) { window.setInterval(tick, 1000); }

  /* ------------------------------------------------------------------ start */

  var kinds = Object.keys(skipped);
  if (kinds.length) {
    $("skipped-note").hidden = false;
    $("skipped-note").textContent = "Left out of the draws: " + kinds.map(function (k) {
      return skipped[k] + " " + k + " question" + (skipped[k] === 1 ? "" : "s");
    }).join(", ") + " (this page cannot show that type yet).";
  }
  var valid = state.attempt && state.attempt.units.every(function (u) { return usable.indexOf(u) >= 0; });
  showAttempt(valid ? state.attempt : startAttempt());

  // For tests and the curious: draw without starting an attempt.
  window.examkitStudy = {
    drawIds: function () { return itemsOf({ units: draw().units }).map(function (i) { return data.items[i].id; }); }
  };
})();
