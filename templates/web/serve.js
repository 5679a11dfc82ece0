// coach serve: tabs, checking as the applicant types, uploads, the email form and the copy button.
// Talks only to this page's own server (the Content-Security-Policy allows nothing else).
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };

  // ---- tabs: real buttons, arrow keys move between them -------------------------------------------------
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
  function select(tab, focus) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) { tab.focus(); }
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(tab, false); });
    tab.addEventListener("keydown", function (e) {
      var next = null;
      if (e.key === "ArrowRight") { next = tabs[(i + 1) % tabs.length]; }
      if (e.key === "ArrowLeft") { next = tabs[(i - 1 + tabs.length) % tabs.length]; }
      if (e.key === "Home") { next = tabs[0]; }
      if (e.key === "End") { next = tabs[tabs.length - 1]; }
      if (next) { e.preventDefault(); select(next, true); }
    });
  });

  function showError(box, message) {
    box.textContent = message || "";
    box.hidden = !message;
  }

  function post(url, body, isJson) {
    var init = { method: "POST", body: body, credentials: "same-origin" };
    if (isJson) { init.headers = { "Content-Type": "application/json" }; }
    return fetch(url, init).then(function (response) {
      return response.json().catch(function () { return { error: "The server answered " + response.status + "." }; })
        .then(function (data) { if (!response.ok && !data.error) { data.error = "The server answered " + response.status + "."; } return data; });
    });
  }

  // ---- checking a draft ------------------------------------------------------------------------------------
  var form = $("check-form"), draft = $("draft"), status = $("check-status"), errorBox = $("check-error");
  var result = $("check-result"), upload = $("upload");
  var timer = null, sequence = 0, lastSent = null;

  function choices() {
    return { kind: $("kind").value, program_type: $("program_type").value, field: $("field").value,
             dismissals: dismissed };
  }

  // ---- dismissed findings: kept for this tab's session, sent with each check, downloadable as the sidecar --
  var STORE = "coach-dismissals", dismissed = [];
  try { dismissed = JSON.parse(window.sessionStorage.getItem(STORE) || "[]"); } catch (e) { dismissed = []; }
  function saveDismissed() {
    try { window.sessionStorage.setItem(STORE, JSON.stringify(dismissed)); } catch (e) { /* private mode */ }
    var list = $("dismissal-list");
    list.textContent = "";
    dismissed.forEach(function (d, i) {
      var item = document.createElement("li");
      var code = document.createElement("code");
      code.textContent = d.rule;
      item.appendChild(code);
      item.appendChild(document.createTextNode((d.excerpt ? " “" + d.excerpt + "”" : "") + " in “" + d.sentence + "”" +
                                               (d.reason ? " — " + d.reason : "") + " "));
      var undo = document.createElement("button");
      undo.type = "button";
      undo.className = "undismiss";
      undo.setAttribute("data-index", String(i));
      undo.textContent = "Undo";
      item.appendChild(undo);
      list.appendChild(item);
    });
    $("dismissals").hidden = !dismissed.length;
    var yaml = "# Findings dismissed on coach's page; save beside the draft as DRAFT.coach.yaml\ndismissals:\n" +
      dismissed.map(function (d) {
        return ["rule", "sentence", "excerpt", "reason", "by", "at"].filter(function (k) {
          return k !== "excerpt" || d.excerpt;
        }).map(function (k, j) {
          return (j ? "  " : "- ") + k + ": " + JSON.stringify(d[k] || "");
        }).join("\n") + "\n";
      }).join("");
    $("dismissal-download").href = "data:text/yaml;charset=utf-8," + encodeURIComponent(yaml);
  }
  function addDismissButtons() {
    Array.prototype.forEach.call(result.querySelectorAll("li[data-rule]"), function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dismiss";
      button.textContent = "Dismiss";
      button.setAttribute("aria-label", "Dismiss this " + item.getAttribute("data-rule") + " finding");
      item.appendChild(button);
    });
  }
  function busy(on, text) {
    status.classList.toggle("busy", on);
    status.textContent = text;
  }
  function show(data, mine, source) {
    if (mine !== sequence) { return; }  // an answer to an older version of the draft
    if (data.error) { busy(false, ""); result.innerHTML = ""; showError(errorBox, data.error); return; }
    showError(errorBox, "");
    result.innerHTML = data.html;  // rendered by the server from escaped values only
    addDismissButtons();
    busy(false, "Checked " + (source ? source + ": " : "") + data.summary.words + " words.");
  }
  function checkText(force) {
    var text = draft.value;
    var values = choices();
    var key = JSON.stringify([text, values]);
    if (!force && key === lastSent) { return; }
    if (!text.trim()) {
      result.innerHTML = ""; busy(false, ""); lastSent = key;
      showError(errorBox, force ? "Paste or type your draft in the box first, or open a file." : "");
      return;
    }
    lastSent = key;
    var mine = ++sequence;
    busy(true, "Checking…");
    values.text = text;
    post("/ui/check", JSON.stringify(values), true).then(function (data) { show(data, mine); })
      .catch(function () { if (mine === sequence) { busy(false, ""); result.innerHTML = ""; showError(errorBox, "coach's server is not answering. Is `coach serve` still running?"); } });
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () { checkText(false); }, 700);
  }
  draft.addEventListener("input", later);
  ["kind", "program_type", "field"].forEach(function (id) { $(id).addEventListener("change", function () { checkText(false); }); });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(timer); checkText(true); });

  upload.addEventListener("change", function () {
    var file = upload.files && upload.files[0];
    if (!file) { return; }
    var body = new FormData();
    body.append("file", file);
    var values = choices();
    Object.keys(values).forEach(function (k) {
      body.append(k, k === "dismissals" ? JSON.stringify(values[k]) : values[k]);
    });
    var mine = ++sequence;
    busy(true, "Reading " + file.name + "…");
    post("/ui/check", body, false).then(function (data) {
      if (mine === sequence && !data.error && typeof data.text === "string") {
        draft.value = data.text;  // the applicant can go on editing the uploaded draft here
        lastSent = JSON.stringify([data.text, choices()]);
      }
      show(data, mine, file.name);
      upload.value = "";
    }).catch(function () { busy(false, ""); result.innerHTML = ""; showError(errorBox, "The file could not be sent to coach's server."); });
  });

  result.addEventListener("click", function (e) {
    var button = e.target.closest("button.dismiss");
    if (!button) { return; }
    var item = button.closest("li[data-rule]");
    var reason = window.prompt("Why does this finding not apply? (optional)", "");
    if (reason === null) { return; }
    var entry = { rule: item.getAttribute("data-rule"), sentence: item.getAttribute("data-sentence"),
                  reason: reason.trim(), by: "", at: new Date().toISOString() };
    if (item.hasAttribute("data-excerpt")) { entry.excerpt = item.getAttribute("data-excerpt"); }
    dismissed.push(entry);
    saveDismissed();
    checkText(true);
  });
  $("dismissal-list").addEventListener("click", function (e) {
    var button = e.target.closest("button.undismiss");
    if (!button) { return; }
    dismissed.splice(Number(button.getAttribute("data-index")), 1);
    saveDismissed();
    checkText(true);
  });
  saveDismissed();

  // ---- the thank-you email ---------------------------------------------------------------------------------
  var emailForm = $("email-form");
  emailForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var values = {};
    Array.prototype.forEach.call(emailForm.elements, function (el) {
      if (!el.name || !el.value.trim()) { return; }
      var kind = el.getAttribute("data-list");
      if (kind === "lines") { values[el.name] = el.value.split("\n").map(function (s) { return s.trim(); }).filter(Boolean); }
      else if (kind === "commas") { values[el.name] = el.value.split(",").map(function (s) { return s.trim(); }).filter(Boolean); }
      else { values[el.name] = el.value.trim(); }
    });
    var estatus = $("email-status");
    estatus.textContent = "Writing and checking…";
    post("/ui/email", JSON.stringify(values), true).then(function (data) {
      estatus.textContent = "";
      showError($("email-error"), data.error);
      $("email-result").innerHTML = data.error ? "" : data.html;
      if (!data.error) { estatus.textContent = "Your email is ready below."; }
    }).catch(function () { estatus.textContent = ""; showError($("email-error"), "coach's server is not answering."); });
  });
  $("email-result").addEventListener("click", function (e) {
    var button = e.target.closest("button.copy");
    if (!button) { return; }
    var area = $(button.getAttribute("data-copy"));
    var done = button.parentNode.querySelector(".copied");
    var fallback = function () { area.select(); document.execCommand("copy"); done.textContent = "Copied."; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(function () { done.textContent = "Copied."; }, fallback);
    } else { fallback(); }
  });
}());
