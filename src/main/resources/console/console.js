// whatsapp-queue console: keeps the overview table fresh from /console/overview.json (same origin, the session
// cookie). Text is set with textContent only; nothing from the answer is ever parsed as HTML.
(function () {
  "use strict";
  var table = document.getElementById("overview");
  if (!table) { return; }
  var FIELDS = ["status", "queue_depth", "pending", "consumers", "dlq_depth", "scheduled", "sending",
                "connection_state", "sent_per_minute"];
  var LABELS = {};
  table.querySelectorAll("thead th").forEach(function (th, i) {
    if (i > 0) { LABELS[FIELDS[i - 1]] = th.textContent; }
  });
  var PERIOD_MS = 3000;

  function value(i, field) {
    if (field === "sending") { return i.sending_paused ? "paused: " + i.pause_reason : "sending"; }
    return String(i[field]);
  }

  function row(i) {
    var tr = document.createElement("tr");
    tr.setAttribute("data-instance", i.instance);
    var th = document.createElement("th");
    th.scope = "row";
    var a = document.createElement("a");
    a.href = "/console/instances/" + encodeURIComponent(i.instance);
    a.textContent = i.instance;
    th.appendChild(a);
    tr.appendChild(th);
    FIELDS.forEach(function (f) {
      var td = document.createElement("td");
      td.setAttribute("data-field", f);
      tr.appendChild(td);
    });
    return tr;
  }

  function fill(tr, i) {
    FIELDS.forEach(function (f) {
      var td = tr.querySelector("td[data-field='" + f + "']");
      td.setAttribute("data-label", LABELS[f] || f);
      td.textContent = value(i, f);
      td.className = f === "status" ? "status-" + i.status : (f === "sending" && i.sending_paused ? "warn" : "");
    });
  }

  function render(data) {
    var body = table.tBodies[0];
    var seen = {};
    data.instances.forEach(function (i) {
      seen[i.instance] = true;
      var tr = body.querySelector("tr[data-instance='" + CSS.escape(i.instance) + "']");
      if (!tr) { tr = body.appendChild(row(i)); }
      fill(tr, i);
    });
    Array.prototype.slice.call(body.rows).forEach(function (tr) {
      if (!seen[tr.getAttribute("data-instance")]) { body.removeChild(tr); }
    });
    document.getElementById("updated").textContent = data.at;
  }

  function refresh() {
    fetch("/console/overview.json", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (r.status === 401) { window.location.assign("/console"); throw new Error("session ended"); }
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      })
      .then(render)
      .catch(function (e) { document.getElementById("updated").textContent = "not updated (" + e.message + ")"; })
      .finally(function () { window.setTimeout(refresh, PERIOD_MS); });
  }

  table.querySelectorAll("tbody tr").forEach(function (tr) {
    tr.querySelectorAll("td[data-field]").forEach(function (td) {
      td.setAttribute("data-label", LABELS[td.getAttribute("data-field")] || "");
    });
  });
  window.setTimeout(refresh, PERIOD_MS);
}());
