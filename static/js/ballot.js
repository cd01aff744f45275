// The ballot, enhanced: the running total updates as you tap, unsent choices are kept on this
// device (localStorage, never in the address), and cumulative ballots get − / + buttons.
// The page works without this file; the server checks everything.
(function () {
  "use strict";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // After a vote is cast, forget this device's draft of it.
  var done = document.querySelector("[data-clear-draft]");
  if (done && storage()) storage().removeItem(done.getAttribute("data-clear-draft"));

  var form = document.getElementById("ballot");
  if (!form) return;

  var data = form.dataset;
  var type = data.type;
  var budget = parseInt(data.budget, 10);
  var maxPicks = parseInt(data.maxPicks, 10) || null;
  var totalPoints = parseInt(data.totalPoints, 10) || null;
  var lang = document.documentElement.lang || "en";
  var total = document.getElementById("ballot-total");
  var warning = document.getElementById("ballot-warning");
  var bar = form.querySelector(".ballot-bar");
  var meter = form.querySelector(".ballot-meter");
  var cards = Array.prototype.slice.call(form.querySelectorAll(".vote-card"));

  function money(cents) {
    var whole = cents % 100 === 0;
    try {
      return new Intl.NumberFormat(lang, {
        style: "currency", currency: data.currency,
        minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: whole ? 0 : 2
      }).format(cents / 100);
    } catch (e) {
      return (cents / 100).toFixed(whole ? 0 : 2) + " " + data.currency;
    }
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : all;
    });
  }

  function points(card) {
    var box = card.querySelector(".vote-check");
    if (box) return box.checked ? 1 : 0;
    var n = parseInt(card.querySelector(".points-input").value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  function status() {
    var s = { chosen: 0, spent: 0, used: 0 };
    cards.forEach(function (card) {
      var n = points(card);
      if (n > 0) {
        s.chosen += 1;
        s.used += n;
        s.spent += parseInt(card.getAttribute("data-cost"), 10);
      }
    });
    s.left = budget - s.spent;
    return s;
  }

  function isOver(s) {
    if (type === "knapsack") return s.left < 0;
    if (type === "cumulative") return s.used > totalPoints;
    return maxPicks !== null && s.chosen > maxPicks;
  }

  function render() {
    var s = status();
    var over = isOver(s);
    total.textContent = fill(over ? data.textOver : data.textUnder, {
      spent: money(s.spent), budget: money(budget), left: money(Math.max(s.left, 0)),
      over: money(Math.max(-s.left, 0)), count: s.chosen, max: maxPicks, picks_left: (maxPicks || 0) - s.chosen,
      used: s.used, total: totalPoints, points_left: (totalPoints || 0) - s.used
    });
    bar.classList.toggle("is-over", over);
    if (meter) {
      var value = type === "knapsack" ? s.spent : type === "cumulative" ? s.used : s.chosen;
      meter.value = Math.min(value, parseFloat(meter.max));
    }
    cards.forEach(function (card) {
      var chosen = points(card) > 0;
      card.classList.toggle("is-chosen", chosen);
      var hint = card.querySelector(".vote-hint");
      var cost = parseInt(card.getAttribute("data-cost"), 10);
      var tooDear = type === "knapsack" && !chosen && cost > s.left;
      hint.hidden = !tooDear;
      if (tooDear) hint.textContent = fill(data.textNofit, { left: money(Math.max(s.left, 0)), cost: money(cost) });
    });
    return s;
  }

  // Say at once, in words, why a tap breaks the rules (the server would refuse it too).
  function explain(target, before) {
    var s = status();
    var card = target.closest(".vote-card");
    if (!isOver(s)) { warning.textContent = ""; return; }
    if (type === "knapsack" && card && points(card) > 0) {
      var cost = parseInt(card.getAttribute("data-cost"), 10);
      warning.textContent = fill(data.textNofit, { left: money(Math.max(before.left, 0)), cost: money(cost) });
    } else {
      warning.textContent = fill(data.textToomany, { max: maxPicks, total: totalPoints });
    }
  }

  // The choices only (no CSRF token, no draft token), as a query string.
  function draft() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrf_token");
    params.delete("d");
    return params.toString();
  }

  var before = status();
  var lastQuery = null;
  function changed(event) {
    var query = draft();
    if (query === lastQuery) return; // a checkbox fires both "input" and "change"
    lastQuery = query;
    var previous = before;
    before = render();
    explain(event.target, previous);
    var store = storage();
    if (store) { try { store.setItem(data.store, query); } catch (e) { /* full or private: fine */ } }
  }

  function apply(query) {
    var params = new URLSearchParams(query);
    var picked = params.getAll("p");
    cards.forEach(function (card) {
      var box = card.querySelector(".vote-check");
      if (box) box.checked = picked.indexOf(box.value) !== -1;
      var input = card.querySelector(".points-input");
      if (input) input.value = params.get(input.name) || "0";
    });
  }

  // Bring back choices kept on this device and not sent yet, unless the page shows choices just
  // sent (a form with problems) or a draft the person came back to on purpose.
  function restore() {
    var store = storage();
    var saved = store && store.getItem(data.store);
    var current = draft();
    if (!saved || data.source === "form" || data.source === "draft" || saved === current) return;
    apply(saved);
    var note = document.createElement("div");
    note.className = "notice";
    note.setAttribute("role", "status");
    note.textContent = data.textRestored + " ";
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "link-button";
    undo.textContent = data.textUndo;
    undo.addEventListener("click", function () {
      apply(current);
      if (store) store.removeItem(data.store);
      before = render();
      note.remove();
    });
    note.appendChild(undo);
    form.parentNode.insertBefore(note, form);
  }

  function stepper(input) {
    var max = parseInt(input.max, 10);
    var title = input.closest(".vote-card").querySelector(".vote-title").textContent;
    function button(label, text, delta) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "step";
      b.textContent = text;
      b.setAttribute("aria-label", label + ": " + title);
      b.addEventListener("click", function () {
        var n = parseInt(input.value, 10) || 0;
        input.value = String(Math.max(0, Math.min(max, n + delta)));
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      return b;
    }
    input.parentNode.insertBefore(button(data.textLess, "−", -1), input);
    input.parentNode.insertBefore(button(data.textMore, "+", 1), input.nextSibling);
  }

  Array.prototype.forEach.call(form.querySelectorAll(".points-input"), stepper);
  restore();
  before = render();
  lastQuery = draft();
  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
})();
