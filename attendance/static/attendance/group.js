/* The scanner's group panel: after a scan of a household's or class's ticket (an answer with
   `group`, online from the server, offline from the pack), it lists the members and admits all of
   them, or the ones ticked, in one action: POST /checkin/group-admit online, offline.js's
   checkGroup with no network (each member queued as a scan of their own ticket, synced once).
   scanner.js owns the page; it hands this module what it needs through attach() and calls
   offer() after each answer. Visible text comes from #group-labels and #scanner-labels. */
(function () {
  "use strict";

  var panel = document.getElementById("group-panel");
  if (!panel) return;
  var G = JSON.parse(document.getElementById("group-labels").textContent);
  var L = JSON.parse(document.getElementById("scanner-labels").textContent);
  var TONE = { admitted: "ok", exited: "ok", already_admitted: "warn" };
  var $ = function (id) { return document.getElementById(id); };
  var door = null;     // scanner.js's hooks, see attach()
  var current = null;  // {text, members, scannedId}

  function exiting() {
    var box = $("exit-mode");
    return !!(box && box.checked);
  }

  function close() {
    current = null;
    panel.hidden = true;
    $("group-members").textContent = "";
    $("group-message").textContent = "";
  }

  function describe(member) {
    return (member.first_name || "") + " · " + (L.genders[member.gender] || member.gender) + " · " + member.age_band;
  }

  function memberRow(member) {
    var item = document.createElement("li");
    var label = document.createElement("label");
    var box = document.createElement("input");
    box.type = "checkbox";
    box.value = member.ticket_id;
    box.disabled = member.status !== "valid";
    box.checked = !box.disabled && (exiting() ? member.admitted : !member.admitted);
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + describe(member)));
    if (member.status !== "valid") label.appendChild(note(G.not_valid));
    else if (member.admitted) label.appendChild(note(G.inside));
    item.appendChild(label);
    return item;
  }

  function note(text) {
    var span = document.createElement("span");
    span.className = "group-note";
    span.textContent = " (" + text + ")";
    return span;
  }

  /* After any scan answer: show the panel when the ticket has a group, hide it otherwise.
     how: {text: what was scanned, scannedId: the scanned ticket's id when known (offline)}. */
  function offer(answer, how) {
    if (!answer || !answer.group || answer.group.length < 2) { close(); return; }
    current = { text: how.text, members: answer.group, scannedId: how.scannedId || answer.group[0].ticket_id };
    var list = $("group-members");
    list.textContent = "";
    answer.group.forEach(function (member) { list.appendChild(memberRow(member)); });
    $("group-count").textContent = answer.group.length;
    $("group-message").textContent = "";
    panel.hidden = false;
  }

  function chosen(all) {
    var boxes = $("group-members").querySelectorAll("input[type=checkbox]");
    return Array.prototype.filter.call(boxes, function (box) { return !box.disabled && (all || box.checked); })
      .map(function (box) { return parseInt(box.value, 10); });
  }

  function names(ids) {
    return current.members.filter(function (m) { return ids.indexOf(m.ticket_id) !== -1; })
      .map(function (m) { return m.first_name; }).join(", ");
  }

  function admit(all) {
    if (!current) return;
    var ids = chosen(all);
    if (!ids.length) { $("group-message").textContent = G.choose_one; return; }
    var asked = current;
    var body = { text: asked.text, session_id: door.session().id, ticket_ids: ids, gate: door.gate(),
                 nonce: door.uuid(), client_time: new Date().toISOString(),
                 direction: exiting() ? "exit" : "entry" };
    var done = function () { close(); door.after(); };
    if (!navigator.onLine && body.direction === "entry") { admitOffline(asked, ids).then(done, done); return; }
    door.api("POST", "/checkin/group-admit", body).then(function (result) {
      door.showFeedback(TONE[result.status] || "bad", L.statuses[result.status] || result.status,
        names(ids), result.message);
      var admitted = result.members.filter(function (m) { return m.status === "admitted"; })
        .map(function (m) { return m.ticket_id; });
      if (admitted.length) window.MultaqaOffline.rememberMembers(door.session().id, admitted, door.gate());
      door.showInside(result);
      door.refreshCounts();
    }).catch(function (error) {
      if (error.network && body.direction === "entry") return admitOffline(asked, ids);
      door.showFeedback("bad", L.error, "", error.message);
    }).then(done, done);
  }

  function admitOffline(asked, ids) {
    var session = door.session();
    return window.MultaqaOffline.checkGroup({
      eventId: session.event_id, sessionId: session.id, scannedId: asked.scannedId, ticketIds: ids,
      nonces: ids.map(function () { return door.uuid(); }), gate: door.gate(), deviceId: door.deviceId(),
    }).then(function (answer) {
      answer.members.forEach(function (member) {
        if (member.status === "admitted") door.bumpCounts(member.row.gender, 1);
      });
      var message = answer.status === "admitted" ? G.offline_admitted.replace("%s", answer.admitted)
        : (L.statuses[answer.status] || answer.status);
      door.showFeedback(TONE[answer.status] || "bad", L.statuses[answer.status] || L.offline,
        names(ids), message);
    }).catch(function () { door.showFeedback("bad", L.error, "", L.offline_no_pack); });
  }

  /* hooks: api(method, path, body), session(), gate(), uuid(), deviceId(), showFeedback(tone,
     title, person, message), showInside(answer), refreshCounts(), bumpCounts(gender, n), after()
     (focus, sync bar). */
  function attach(hooks) { door = hooks; }

  $("group-admit-all").addEventListener("click", function () { admit(true); });
  $("group-admit-chosen").addEventListener("click", function () { admit(false); });
  $("group-close").addEventListener("click", close);

  window.MultaqaGroup = { attach: attach, offer: offer, close: close };
})();
