/**
 * The dashboard's only script (served at `dashboard/app.js`; no build step, no CDN). It listens to the live stream,
 * re-reads the table or the open delivery when something changes (and after every reconnect), sends the forms with
 * `fetch`, loads fixtures and copies URLs. It never turns data into HTML: every value goes through `textContent`
 * (or `value`), and the elements mirror `deliveryRow` / `attemptRow`.
 * @example
 * app.get("/dashboard/app.js", (c) => c.body(CLIENT_SCRIPT, 200, { "content-type": "text/javascript" }));
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  "use strict";
  var $ = function (sel) { return document.querySelector(sel); };
  function el(tag, props, children) {
    var node = document.createElement(tag);
    for (var key in props || {}) {
      if (key === "text") node.textContent = props[key];
      else if (key === "className") node.className = props[key];
      else node.setAttribute(key, props[key]);
    }
    (children || []).forEach(function (child) { if (child) node.append(child); });
    return node;
  }
  function getJson(url) {
    return fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    });
  }
  function detailHref(id) {
    var params = new URLSearchParams(location.search);
    params.set("id", id);
    return "?" + params.toString();
  }
  function statusBadge(status, field) {
    var props = { className: "status status-" + status, text: status };
    if (field) props["data-field"] = field;
    return el("span", props);
  }
  function repoCell(r) {
    var name = r.repoUrl ? el("a", { href: r.repoUrl, target: "_blank", rel: "noopener noreferrer", text: r.repoName }) : document.createTextNode(r.repoName);
    return el("td", {}, [name, document.createTextNode(" "), el("span", { className: "muted small", text: r.repoType })]);
  }
  function rowElement(r) {
    var time = el("time", { datetime: r.receivedAt, text: r.time });
    return el("tr", { "data-id": r.id, "data-status": r.status }, [
      el("td", {}, [el("a", { href: detailHref(r.id) }, [time])]),
      el("td", { text: r.endpoint }), el("td", { text: r.event }), repoCell(r),
      el("td", {}, [statusBadge(r.status)]), el("td", { text: String(r.attempts) }), el("td", { text: r.duration })
    ]);
  }
  function attemptElement(a) {
    var error = el("td", { text: a.error || "" });
    if (a.stack) error.append(el("details", {}, [el("summary", { text: "stack" }), el("pre", { text: a.stack })]));
    return el("tr", {}, [el("td", { text: String(a.attempt) }), el("td", {}, [statusBadge(a.outcome)]),
      el("td", { text: a.startedAt }), el("td", { text: a.duration }), error]);
  }

  var table = $("#deliveries");
  var detail = $("#detail[data-id]");
  var generation = 0;
  function refreshTable() {
    var mine = ++generation;
    return getJson("dashboard/rows" + location.search).then(function (data) {
      if (mine !== generation) return;
      var rows = data.rows.map(rowElement);
      if (!rows.length) rows = [el("tr", { className: "empty" }, [el("td", { colspan: "7", className: "muted", text: "No deliveries match." })])];
      table.tBodies[0].replaceChildren.apply(table.tBodies[0], rows);
      var older = $("#older");
      if (older) {
        older.hidden = !data.nextCursor;
        if (data.nextCursor) {
          var params = new URLSearchParams(location.search);
          params.delete("id");
          params.set("cursor", data.nextCursor);
          older.setAttribute("href", "?" + params.toString());
        }
      }
    });
  }
  function setField(name, text) {
    var node = detail.querySelector('[data-field="' + name + '"]');
    if (node) node.textContent = text;
    return node;
  }
  function refreshDetail() {
    var mine = ++generation;
    return getJson("dashboard/delivery?id=" + encodeURIComponent(detail.dataset.id)).then(function (v) {
      if (mine !== generation) return;
      setField("status", v.status).className = "status status-" + v.status;
      setField("finishedAt", v.finishedAt || "—");
      setField("attempts", String(v.attempts));
      setField("duration", v.duration);
      setField("error", v.error || "—");
      setField("result", v.result === null ? "(none yet)" : v.result);
      detail.querySelector('[data-field="replay"]').disabled = !v.replayable;
      var rows = v.attemptList.map(attemptElement);
      if (!rows.length) rows = [el("tr", { className: "empty" }, [el("td", { colspan: "5", className: "muted", text: "No attempt yet." })])];
      var body = $("#attempts");
      body.replaceChildren.apply(body, rows);
    });
  }
  function refresh() {
    var done = table ? refreshTable() : detail ? refreshDetail() : null;
    if (done) done.catch(function () { setLive("could not refresh (reload the page)", "off"); });
  }

  var live = $("#live");
  function setLive(text, state) { if (live) { live.textContent = text; live.dataset.state = state; } }
  if ((table || detail) && window.EventSource) {
    var timer = null;
    var lost = false;
    var schedule = function () { if (!timer) timer = setTimeout(function () { timer = null; refresh(); }, 100); };
    var source = new EventSource("dashboard/events");
    source.addEventListener("open", function () {
      setLive("live", "on");
      if (lost) { lost = false; schedule(); }
    });
    source.addEventListener("error", function () {
      lost = true;
      setLive(source.readyState === 2 ? "disconnected (reload the page)" : "reconnecting…", "off");
    });
    source.addEventListener("change", function (event) {
      var change = {};
      try { change = JSON.parse(event.data); } catch (e) { /* ignore a malformed event */ }
      if (table || !change.id || change.id === detail.dataset.id) schedule();
    });
    source.addEventListener("resync", schedule);
  } else if (live) {
    setLive("not live", "off");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-async]");
    if (!form) return;
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    var out = form.querySelector("[data-output]");
    out.textContent = "…";
    fetch(form.getAttribute("action"), {
      method: "POST", credentials: "same-origin",
      headers: { accept: "application/json" },
      body: new URLSearchParams(new FormData(form))
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        out.textContent = data.message || data.error || "HTTP " + res.status;
        if (data.deliveryId) {
          out.append(" ");
          out.append(el("a", { href: detailHref(data.deliveryId), text: "open delivery" }));
        }
      });
    }, function (error) { out.textContent = "Request failed: " + error.message; });
  });

  var fixture = $("#fixture");
  var payload = $("#payload");
  if (fixture && payload) {
    fixture.addEventListener("change", function () {
      fetch("dashboard/fixture?name=" + encodeURIComponent(fixture.value), { credentials: "same-origin" })
        .then(function (res) { return res.ok ? res.text() : Promise.reject(new Error("HTTP " + res.status)); })
        .then(function (text) { payload.value = text; }, function () { /* keep the current JSON */ });
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy]");
    if (!button) return;
    var text = button.dataset.copy;
    var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, function () {});
    else window.prompt("Copy this URL:", text);
  });
})();
`;
