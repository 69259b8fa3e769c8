/* examkit practice page: grades the answers in the browser, offline.
   Scoring follows the exam set's rules: all-or-nothing per item unless its type is listed for
   partial credit; an answered item scoring nothing loses the negative-marking share of its
   points; answers.js compares short answers and ordering as the grader does. The script only
   sets text and attributes: it never parses HTML. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("practice-data").textContent);
  // Controls are not named check or reset: a form's named elements shadow its methods.
  var form = document.getElementById("practice");
  var partial = {};
  data.scoring.partial.forEach(function (t) { partial[t] = true; });

  function $(id) { return document.getElementById(id); }
  function field(item) { return $("q" + item.n); }

  function answerOf(item) {
    var q = "q" + item.n;
    if (item.type === "single") {
      var picked = form.querySelector('input[name="' + q + '"]:checked');
      return picked ? picked.value : "";
    }
    if (item.type === "multiple") {
      return Array.prototype.map.call(form.querySelectorAll('input[name="' + q + '"]:checked'), function (el) { return el.value; });
    }
    if (item.type === "matching") {
      var chosen = {};
      Object.keys(item.correct).forEach(function (num) { chosen[num] = $(q + "-p" + num).value; });
      return chosen;
    }
    if (item.type === "ordering") {  // the list as it stands, once the student has moved a step
      var box = field(item), moved = box.hasAttribute("data-moved");
      return Array.prototype.map.call(box.querySelectorAll(".reorder .step"), function (el) {
        return moved ? el.getAttribute("data-letter") : "";
      });
    }
    return $(q + "-text").value;
  }

  function isBlank(item, answer) {
    if (item.type === "multiple") { return answer.length === 0; }
    if (item.type === "matching") { return Object.keys(answer).every(function (k) { return !answer[k]; }); }
    if (item.type === "ordering") { return answer.every(function (v) { return !v; }); }
    return !String(answer).trim();
  }

  var accepted = examkitAnswers.accepted;
  var orderingShare = examkitAnswers.orderingShare;
  var round = examkitAnswers.round;
  var round1 = examkitAnswers.round1;

  /* The share of the item's points earned, from 0 to 1. */
  function share(item, answer) {
    var right, total, frac;
    if (item.type === "single") { return answer === item.correct[0] ? 1 : 0; }
    if (item.type === "short") { return accepted(answer, item.correct) ? 1 : 0; }
    if (item.type === "numeric") { return examkitAnswers.numberWithin(answer, item.correct) ? 1 : 0; }
    if (item.type === "multiple") {
      right = answer.filter(function (l) { return item.correct.indexOf(l) >= 0; }).length;
      var wrong = answer.length - right;
      if (partial.multiple) { return Math.max(0, (right - wrong) / item.correct.length); }
      return right === item.correct.length && wrong === 0 ? 1 : 0;
    }
    if (item.type === "matching") {
      total = Object.keys(item.correct).length;
      right = Object.keys(item.correct).filter(function (k) { return answer[k] === item.correct[k]; }).length;
      frac = right / total;
    } else {
      frac = orderingShare(item.correct, answer);
    }
    return partial[item.type] ? frac : (frac === 1 ? 1 : 0);
  }

  function mark(el, ok) {
    if (!el) { return; }
    el.classList.remove("is-right", "is-wrong");
    var verdict = el.querySelector(".verdict");
    if (ok === null) { if (verdict) { verdict.textContent = ""; } return; }
    el.classList.add(ok ? "is-right" : "is-wrong");
    if (verdict) { verdict.textContent = ok ? "✓" : "✗"; }
  }

  function reveal(id) { var el = $(id); if (el) { el.hidden = false; } }

  function showFeedback(item, answer, got, blank) {
    var q = "q" + item.n, box = field(item);
    box.classList.remove("right", "partly", "wrong", "blank");
    if (item.type === "single" || item.type === "multiple") {
      box.querySelectorAll(".option").forEach(function (opt) {
        var letter = opt.getAttribute("data-letter");
        var correct = item.correct.indexOf(letter) >= 0;
        var chosen = item.type === "single" ? answer === letter : answer.indexOf(letter) >= 0;
        mark(opt, chosen || correct ? correct : null);
        opt.classList.toggle("missed", correct && !chosen);
        reveal(q + "-" + letter + "-why");
      });
    } else if (item.type === "matching") {
      Object.keys(item.correct).forEach(function (num) {
        var row = box.querySelector('.premise[data-number="' + num + '"]');
        mark(row, answer[num] === item.correct[num]);
        reveal(q + "-p" + num + "-why");
      });
      box.querySelectorAll(".why[id^='" + q + "-r']").forEach(function (el) { el.hidden = false; });
    } else if (item.type === "ordering") {
      box.querySelectorAll(".reorder .step").forEach(function (step, i) {
        var letter = step.getAttribute("data-letter");
        mark(step, blank ? null : item.correct[i] === letter);
        reveal(q + "-s" + letter + "-why");
      });
    } else {
      mark(box.querySelector(".short-answer"), got === 1);
    }
    var status = blank ? "Not answered." : got === 1 ? "Correct." : got > 0 ? "Partly correct." : "Incorrect.";
    var pts = round(got * item.points);
    var line = status + " " + pts + " of " + item.points + (item.points === 1 ? " point." : " points.");
    box.classList.add(blank ? "blank" : got === 1 ? "right" : got > 0 ? "partly" : "wrong");
    $(q + "-status").textContent = line;
    $(q + "-feedback").hidden = false;
    return status;
  }

  function check() {
    var earned = 0, possible = 0, counts = { right: 0, partly: 0, wrong: 0, blank: 0 };
    var byObjective = {};
    data.items.forEach(function (item) {
      var answer = answerOf(item);
      var blank = isBlank(item, answer);
      var got = blank ? 0 : share(item, answer);
      var points = got * item.points;
      if (!blank && got === 0 && data.scoring.negative) { points = -data.scoring.negative * item.points; }
      earned += points;
      possible += item.points;
      var o = byObjective[item.objective] || (byObjective[item.objective] = { earned: 0, possible: 0 });
      o.earned += points;
      o.possible += item.points;
      var status = showFeedback(item, answer, got, blank);
      var kind = blank ? "blank" : got === 1 ? "right" : got > 0 ? "partly" : "wrong";
      counts[kind] += 1;
      var entry = document.querySelector('#question-list li[data-n="' + item.n + '"]');
      entry.className = kind;  // coloured, and labelled in words: never by colour alone
      entry.querySelector(".q-status").textContent = status.replace(/\.$/, "") + " (" + round(points) + "/" + item.points + ")";
    });
    earned = Math.max(0, earned);
    var fraction = possible ? earned / possible : 0;
    $("score-points").textContent = String(round(earned));
    $("score-possible").textContent = String(round(possible));
    $("score-percent").textContent = String(round1(fraction * 100));
    var result = examkitAnswers.verdict(data.scoring, fraction), verdict = result.text;
    if (result.scaled !== null) {
      $("score-scaled").textContent = String(result.scaled);
      $("score-scaled-wrap").hidden = false;
    }
    $("score-verdict").textContent = verdict ? "Result: " + verdict + "." : "";
    $("score-counts").textContent = counts.right + " correct, " + counts.partly + " partly correct, " +
      counts.wrong + " incorrect, " + counts.blank + " not answered.";
    document.querySelectorAll("#objective-rows tr").forEach(function (row) {
      var o = byObjective[row.getAttribute("data-objective")] || { earned: 0, possible: 0 };
      var pct = o.possible ? Math.max(0, o.earned) / o.possible * 100 : 0;
      row.querySelector(".pts").textContent = round(Math.max(0, o.earned)) + " / " + round(o.possible);
      row.querySelector(".pct").textContent = round1(pct) + "%";
      row.querySelector(".fill").style.width = pct + "%";
    });
    $("results-empty").hidden = true;
    $("results-filled").hidden = false;
    $("results-heading").focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check();
  });

  // Ordering lists as printed, to put back on Start over; checking does not lock them.
  var printedOrder = Array.prototype.map.call(document.querySelectorAll(".reorder"), function (list) {
    return [list, Array.prototype.slice.call(list.children)];
  });
  examkitReorder(form, function () {}, function () { return false; });

  $("start-over").addEventListener("click", function () {
    form.reset();
    printedOrder.forEach(function (entry) {
      entry[1].forEach(function (step) { entry[0].appendChild(step); });
      entry[0].closest("fieldset").removeAttribute("data-moved");
    });
    document.querySelectorAll(".why, .feedback").forEach(function (el) { el.hidden = true; });
    document.querySelectorAll(".is-right, .is-wrong, .missed").forEach(function (el) {
      el.classList.remove("is-right", "is-wrong", "missed");
    });
    document.querySelectorAll(".verdict").forEach(function (el) { el.textContent = ""; });
    document.querySelectorAll("fieldset.item").forEach(function (el) {
      el.classList.remove("right", "partly", "wrong", "blank");
    });
    document.querySelectorAll("#question-list li").forEach(function (li) {
      li.className = "";
      li.querySelector(".q-status").textContent = "Not checked";
    });
    $("results-empty").hidden = false;
    $("results-filled").hidden = true;
    window.scrollTo(0, 0);
    var first = form.querySelector("input, select");
    if (first) { first.focus(); }
  });
})();
