/* examkit: how the on-screen pages score answers, shared by the practice and study pages.
   Short answers are compared ignoring case, punctuation and extra spaces, allowing one typo in
   answers of 5+ characters and two in answers of 10+ (the printed-sheet grader may accept more
   spellings). Ordering earns the share of adjacent pairs placed right, as the sheet grader does. */
var examkitAnswers = (function () {
  "use strict";

  function normalise(text) {
    return String(text).normalize("NFKC").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  function distance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) { prev.push(j); }
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  function accepted(answer, answers) {
    var given = normalise(answer);
    if (!given) { return false; }
    return answers.some(function (a) {
      var want = normalise(a);
      var slack = want.length >= 10 ? 2 : want.length >= 5 ? 1 : 0;
      return given === want || (slack > 0 && distance(given, want) <= slack);
    });
  }

  /* Moodle's "relative to next": the share of adjacent pairs placed right, each pair counted
     once, so a step in the wrong place costs only the pairs it breaks. */
  function orderingShare(correct, answer) {
    var rank = {}, pairs = {}, i;
    correct.forEach(function (step, r) { rank[step] = r; });
    for (i = 0; i + 1 < answer.length; i++) {
      if (answer[i] in rank && answer[i + 1] in rank && rank[answer[i + 1]] === rank[answer[i]] + 1) {
        pairs[answer[i] + ">" + answer[i + 1]] = true;
      }
    }
    return correct.length > 1 ? Object.keys(pairs).length / (correct.length - 1) : 1;
  }

  /* A typed number: "0.8", "0,8", " 1 200 ", "80%" (read as 80); null when it is not one. */
  function readNumber(text) {
    var t = String(text || "").replace(/[\s\u00a0]/g, "").replace(/%$/, "");
    if (/^[-+]?\d+,\d+$/.test(t)) { t = t.replace(",", "."); }
    return t === "" || isNaN(Number(t)) ? null : Number(t);
  }

  /* A numeric answer within the key's tolerance ({number, tolerance}). */
  function numberWithin(text, key) {
    var n = readNumber(text);
    return n !== null && Math.abs(n - key.number) <= key.tolerance + 1e-9;
  }

  function round(x) { return Math.round(x * 100) / 100; }
  function round1(x) { return Math.round(x * 10) / 10; }

  /* The verdict on a fraction of the points, the way the grader says it. */
  function verdict(scoring, fraction) {
    var scale = scoring.scale, passMark = scoring.pass_mark;
    var result = { scaled: null, text: "" };
    if (scale) {
      result.scaled = Math.round(scale[0] + (scale[1] - scale[0]) * fraction);
      if (passMark !== null) { result.text = result.scaled >= passMark - 1e-9 ? "PASS" : "NOT YET: below the pass mark of " + passMark; }
    } else if (passMark !== null) {
      // The tolerance the grader allows: 57 of 100 is 56.99999999999999% in floating point.
      result.text = fraction * 100 >= passMark - 1e-9 ? "PASS" : "NOT YET: below the pass mark of " + passMark + "%";
    }
    return result;
  }

  return { normalise: normalise, accepted: accepted, numberWithin: numberWithin, orderingShare: orderingShare, round: round,
           round1: round1, verdict: verdict };
})();
