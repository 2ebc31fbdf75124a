"use strict";
(function () {
  var UUID = /\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\/?$/;
  var path = location.pathname;
  var opened = path.match(UUID);
  var base = (opened ? path.slice(0, opened.index) : path).replace(/\/+$/, "");
  if (opened && !location.hash) { history.replaceState(null, "", base + "#scope/" + opened[1]); }
  var $ = function (id) { return document.getElementById(id); };
  var current = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function badge(status) { return el("span", "badge s-" + status, status.toLowerCase()); }
  function when(iso) {
    var t = el("time", null, new Date(iso).toLocaleString());
    t.dateTime = iso; t.title = iso; return t;
  }
  function say(text) { $("message").textContent = text || ""; }
  function problem(text) { $("problem").textContent = text || ""; $("problem").hidden = !text; }

  function csrfHeaders(headers) {
    var match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
    if (match) { headers["X-XSRF-TOKEN"] = decodeURIComponent(match[1]); }
    return headers;
  }
  function call(method, url, body) {
    var init = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (method === "POST") {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body || {});
      csrfHeaders(init.headers);
    }
    return fetch(url, init).then(function (response) {
      return response.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (ignored) { json = null; }
        if (!response.ok) {
          var reason = json && json.detail ? json.detail : "HTTP " + response.status + " " + response.statusText;
          throw new Error(reason);
        }
        return json;
      });
    });
  }

  function filters() {
    var query = new URLSearchParams();
    [["state", "filter-state"], ["olderThan", "filter-older"], ["newerThan", "filter-newer"], ["limit", "filter-limit"]]
      .forEach(function (pair) { var v = $(pair[1]).value.trim(); if (v) { query.set(pair[0], v); } });
    return query.toString();
  }

  function showList() {
    current = null;
    $("detail-view").hidden = true; $("list-view").hidden = false;
    var query = filters();
    return call("GET", base + (query ? "?" + query : "")).then(function (page) {
      problem("");
      var list = $("scope-list");
      list.textContent = "";
      page.scopes.forEach(function (scope) {
        var item = el("li"); item.dataset.scopeId = scope.id;
        var link = el("a"); link.href = "#scope/" + scope.id;
        var line1 = el("div", "line1");
        line1.append(badge(scope.state), el("span", "name", scope.name), when(scope.startedAt));
        var failing = scope.commands.filter(function (c) { return c.status === "FAILED" || c.status === "PENDING"; });
        var line2 = el("div", "line2", (scope.cause ? scope.cause : scope.outcome.toLowerCase().replace("_", " "))
          + (failing.length ? " \u2014 " + failing.map(function (c) {
            return c.description + " " + c.status.toLowerCase(); }).join(", ") : ""));
        link.append(line1, line2); item.append(link); list.append(item);
      });
      $("empty").hidden = page.scopes.length > 0;
    }).catch(function (failure) { problem(failure.message); });
  }

  function fact(list, name, value) {
    if (value === null || value === undefined || value === "") { return; }
    var dd = el("dd"); if (value instanceof Node) { dd.append(value); } else { dd.textContent = String(value); }
    list.append(el("dt", null, name), dd);
  }

  function run(c) {
    var text = c.status === "DONE" || c.status === "FAILED" ? c.attempts + "/" + Math.max(c.attempts, c.maxAttempts)
      + " attempt" + (c.maxAttempts > 1 ? "s" : "") + ", " + c.durationMillis + " ms" : "";
    return text;
  }

  function showScope(id) {
    return call("GET", base + "/" + encodeURIComponent(id)).then(function (scope) {
      problem("");
      current = scope;
      $("list-view").hidden = true; $("detail-view").hidden = false;
      $("detail-title").textContent = scope.name;
      var facts = $("facts"); facts.textContent = "";
      fact(facts, "State", badge(scope.state));
      fact(facts, "Scope id", scope.id);
      fact(facts, "Outcome", scope.outcome.toLowerCase().replace("_", " "));
      fact(facts, "Cause", scope.cause);
      fact(facts, "Started", when(scope.startedAt));
      fact(facts, "Took", scope.durationMillis + " ms");
      fact(facts, "Updated", when(scope.updatedAt));
      var timeline = $("timeline"); timeline.textContent = "";
      scope.commands.forEach(function (c) {
        var item = el("li"); item.dataset.status = c.status;
        var head = el("div", "head");
        head.append(el("span", "small", c.kind.toLowerCase()), el("span", "desc", c.description), badge(c.status),
          el("span", "small", run(c)));
        item.append(head);
        if (c.error) { item.append(el("p", "error", c.error)); }
        if (c.note) { item.append(el("p", "small", c.note)); }
        if (c.earlier && c.earlier.length) {
          var earlier = el("ul", "earlier");
          c.earlier.forEach(function (e) {
            var line = el("li", null, "before the retry by " + e.retriedBy + " at "
              + new Date(e.retriedAt).toLocaleString() + ": " + e.status.toLowerCase() + " after " + e.attempts
              + " attempt(s)" + (e.error ? ": " + e.error : e.note ? ": " + e.note : ""));
            earlier.append(line);
          });
          item.append(earlier);
        }
        timeline.append(item);
      });
      var history = $("history"); history.textContent = "";
      scope.history.forEach(function (h) {
        var item = el("li"); item.dataset.action = h.action;
        item.append(when(h.at), document.createTextNode(" " + h.action.toLowerCase() + " by " + h.by));
        if (h.note) { item.append(el("div", "note", h.note)); }
        history.append(item);
      });
      $("no-history").hidden = scope.history.length > 0;
      $("action-retry").disabled = !scope.retryable;
      $("action-resolve").disabled = !scope.needsAttention;
      $("action-discard").disabled = !scope.needsAttention;
      $("detail-title").focus();
    }).catch(function (failure) { problem(failure.message); });
  }

  var QUESTIONS = {
    retry: "Run the failed and pending commands of this scope again, now?",
    resolve: "Mark this scope resolved? Nothing runs; you saw to it by hand.",
    discard: "Discard what this scope left undone? It stays undone on purpose; nothing runs.",
    note: "Add this note to the scope's history?"
  };

  function confirmThen(text, action) {
    var dialog = $("confirm");
    $("confirm-text").textContent = text;
    dialog.returnValue = "";
    dialog.addEventListener("close", function once() {
      dialog.removeEventListener("close", once);
      if (dialog.returnValue === "ok") { action(); }
    });
    dialog.showModal();
    $("confirm-no").focus();
  }

  function act(action) {
    if (!current) { return; }
    var note = $("note").value.trim();
    if (action === "note" && !note) { problem("Write a note first."); $("note").focus(); return; }
    var id = current.id;
    confirmThen(QUESTIONS[action] + (note ? " Note: \u201c" + note + "\u201d" : ""), function () {
      var by = $("by").value.trim();
      try { localStorage.setItem("compensations.by", by); } catch (ignored) { /* private mode */ }
      var body = { note: note || null };
      if (by) { body.by = by; }
      call("POST", base + "/" + encodeURIComponent(id) + "/" + action, body).then(function (scope) {
        $("note").value = "";
        say(action === "retry" ? "Retried: the scope is now " + scope.state.toLowerCase() + "."
          : action === "note" ? "Note added." : "Done: the scope is now " + scope.state.toLowerCase() + ".");
        return showScope(id);
      }).catch(function (failure) { say(""); problem(failure.message); });
    });
  }

  function route() {
    say("");
    var match = location.hash.match(/^#scope\/(.+)$/);
    return match ? showScope(decodeURIComponent(match[1])) : showList();
  }

  $("detail-title").tabIndex = -1;
  try { $("by").value = localStorage.getItem("compensations.by") || ""; } catch (ignored) { /* private mode */ }
  $("filters").addEventListener("submit", function (event) { event.preventDefault(); say(""); showList(); });
  function home(event) {
    event.preventDefault();
    if (location.hash) { location.hash = ""; } else { route(); }
  }
  $("home").addEventListener("click", home);
  $("back").addEventListener("click", home);
  Array.prototype.forEach.call(document.querySelectorAll("[data-action]"), function (button) {
    button.addEventListener("click", function () { act(button.dataset.action); });
  });
  window.addEventListener("hashchange", route);
  route();
})();
