/* Offline door: the event's offline pack, local validation of tickets and walk-ins, and the queue
   of what was recorded offline (IndexedDB), uploaded to /checkin/sync when the network returns.
   The pack names tickets by salted hashes only (its `hashing` says how): a QR secret by SHA-256
   of salt and secret, a short code by PBKDF2-SHA256 with the salt and many iterations, slow on
   purpose so that a stolen pack's 40-bit codes cannot all be tried. This file hashes what is
   scanned or typed (one slow hash per typed code, through WebCrypto) and looks the hash up.
   Nothing here talks to the page: scanner.js does. Node loads it too (module.exports), for the
   admission rule's shared cases (tests/js/). */
(function (root) {
  "use strict";

  var DB_NAME = "multaqa-door";
  var BATCH_SIZE = 200;  // the server takes up to 500 items per batch
  var CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  var TICKET_URL = /\/tickets\/([A-Za-z0-9_-]+)\/?$/;
  var CARD_URL = /\/cards\/([A-Za-z0-9_-]+)\/?$/;
  var dbPromise = null;
  var packs = {};  // event id -> {pack, bySecret, byCode}

  function openDb() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("packs", { keyPath: "event_id" });
        db.createObjectStore("queue", { keyPath: "nonce" });
        // Tickets admitted on this device (online or offline), so a second scan says so offline.
        db.createObjectStore("admitted", { keyPath: "key" });
        // Items the server refused as malformed: kept for the organizer, out of the queue's way.
        db.createObjectStore("refused", { keyPath: "nonce" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return dbPromise;
  }

  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result = work(tx.objectStore(storeName));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function sha256(text) {
    var bytes = new TextEncoder().encode(text);
    return crypto.subtle.digest("SHA-256", bytes).then(hex);
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  // The same bytes as the server's hashlib.pbkdf2_hmac("sha256", code, salt, iterations, 32).
  function pbkdf2(text, salt, iterations) {
    var encoder = new TextEncoder();
    return crypto.subtle.importKey("raw", encoder.encode(text), "PBKDF2", false, ["deriveBits"])
      .then(function (key) {
        return crypto.subtle.deriveBits(
          { name: "PBKDF2", hash: "SHA-256", salt: encoder.encode(salt), iterations: iterations }, key, 256);
      })
      .then(hex);
  }

  function normalizeShortCode(text) {
    var cleaned = text.toUpperCase().replace(/[\s\-_]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
    if (cleaned.length !== 8) return null;
    for (var i = 0; i < cleaned.length; i++) if (CROCKFORD.indexOf(cleaned[i]) === -1) return null;
    return cleaned;
  }

  // Packs ---------------------------------------------------------------------------------------
  /* A pack's tickets, read where they lie: the columns of attendance/offline_format.py (format 2)
     are decoded once into two strings of cut hashes and an array of ids, and a ticket becomes an
     object only when a lookup finds it. No per-ticket object or map is built at download. */
  var CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  function columns(tickets) {
    var ids = new Array(tickets.count), id = 0;
    for (var i = 0; i < tickets.count; i++) { id += tickets.id[i]; ids[i] = id; }
    var width = tickets.hash_bytes;
    var secrets = atob(tickets.secret_hash), codes = atob(tickets.code_hash);

    function cut(binary, i) {
      var text = "";
      for (var k = i * width; k < (i + 1) * width; k++) text += ("0" + binary.charCodeAt(k).toString(16)).slice(-2);
      return text;
    }
    function coded(name, i) {
      var column = tickets[name];
      return column.values[CODE_ALPHABET.indexOf(column.codes.charAt(i))];
    }
    function rowAt(i) {
      var key = String(i);
      return {
        id: ids[i], secret_hash: cut(secrets, i), code_hash: cut(codes, i),
        first_name: tickets.first_name[i], gender: coded("gender", i), age_band: coded("age_band", i),
        profile: coded("profile", i), status: coded("status", i),
        group_size: tickets.group_size[key] || 1, group: tickets.group[key] || ids[i],
        sessions: tickets.sessions[key] || [],
      };
    }
    // The position of a full or cut hex hash among the cut ones (-1: none), found in the string.
    function find(binary, hash) {
      if (hash.length < width * 2) return -1;
      var key = "";
      for (var k = 0; k < width; k++) key += String.fromCharCode(parseInt(hash.substr(k * 2, 2), 16));
      for (var at = binary.indexOf(key); at !== -1; at = binary.indexOf(key, at + 1)) {
        if (at % width === 0) return at / width;
      }
      return -1;
    }
    function byHash(binary) {
      return function (hash) { var i = find(binary, hash); return i === -1 ? null : rowAt(i); };
    }
    return {
      count: tickets.count,
      bySecret: byHash(secrets),
      byCode: byHash(codes),
      byId: function (wanted) {
        var low = 0, high = ids.length - 1;
        while (low <= high) {
          var middle = (low + high) >> 1;
          if (ids[middle] === wanted) return rowAt(middle);
          if (ids[middle] < wanted) low = middle + 1; else high = middle - 1;
        }
        return null;
      },
      group: function (group) {
        return Object.keys(tickets.group).filter(function (key) { return tickets.group[key] === group; })
          .map(function (key) { return rowAt(Number(key)); });
      },
    };
  }

  // A pack of format 1 (rows of `fields`), kept on a device since before format 2, until replaced.
  function rowsIndex(pack) {
    var bySecret = {}, byCode = {}, byId = {};
    pack.tickets.forEach(function (values) {
      var row = {};
      pack.fields.forEach(function (name, i) { row[name] = values[i]; });
      bySecret[row.secret_hash] = row; byCode[row.code_hash] = row; byId[row.id] = row;
    });
    return {
      count: pack.tickets.length,
      bySecret: function (hash) { return bySecret[hash] || null; },
      byCode: function (hash) { return byCode[hash] || null; },
      byId: function (id) { return byId[id] || null; },
      group: function (group) {
        return Object.keys(byId).map(function (id) { return byId[id]; })
          .filter(function (row) { return row.group === group; });
      },
    };
  }

  function index(pack) {
    var tickets = pack.format === 2 ? columns(pack.tickets) : rowsIndex(pack);
    // Participant cards (packs from before cards have none).
    var cardsBySecret = {}, cardsByCode = {};
    (pack.cards || []).forEach(function (values) {
      var card = {};
      pack.card_fields.forEach(function (name, i) { card[name] = values[i]; });
      cardsBySecret[card.secret_hash] = card; cardsByCode[card.code_hash] = card;
    });
    packs[pack.event_id] = { pack: pack, tickets: tickets, count: tickets.count,
                             cardsBySecret: cardsBySecret, cardsByCode: cardsByCode };
    return packs[pack.event_id];
  }

  function savePack(pack) {
    pack.downloaded_at = new Date().toISOString();
    return run("packs", "readwrite", function (store) { store.put(pack); }).then(function () { return index(pack); });
  }

  function loadPack(eventId) {
    if (packs[eventId]) return Promise.resolve(packs[eventId]);
    return run("packs", "readonly", function (store) { return store.get(eventId); }).then(function (pack) {
      return pack ? index(pack) : null;
    });
  }

  /* What the text names: {row, hash} for a ticket, {card} for a participant card (looked up only
     when no ticket matches, as on the server), or null. One slow hash at most for a typed code,
     shared by the ticket and card lookups. */
  function findTicket(indexed, text) {
    var match = TICKET_URL.exec(text) || CARD_URL.exec(text);
    var secret = match ? match[1] : text;
    var hashing = indexed.pack.hashing;
    // A pack downloaded before packs were salted (no `hashing`) keeps working until the next
    // download replaces it.
    var secretHash = hashing ? sha256(hashing.salt + ":" + secret) : sha256(secret);
    return secretHash.then(function (hash) {
      var ticket = indexed.tickets.bySecret(hash);
      if (ticket) return { row: ticket, hash: hash };
      if (indexed.cardsBySecret[hash]) return { card: indexed.cardsBySecret[hash] };
      var code = normalizeShortCode(text);
      if (!code) return null;
      var codeLookup = hashing ? pbkdf2(code, hashing.salt, hashing.iterations) : sha256("code:" + code);
      return codeLookup.then(function (codeHash) {
        var row = indexed.tickets.byCode(codeHash);
        // The sync names the ticket by its secret's (salted) hash whichever way it was found.
        if (row) return { row: row, hash: row.secret_hash };
        var card = indexed.cardsByCode[codeHash];
        return card ? { card: card } : null;
      });
    });
  }

  /* A card whose person holds a ticket of the event stands for that ticket (one already admitted
     to the session first, so a second scan says so): {row, hash} like a found ticket. */
  function cardTicket(indexed, sessionId, card) {
    var rows = card.tickets.map(function (id) { return indexed.tickets.byId(id); }).filter(Boolean);
    if (!rows.length) return Promise.resolve(null);
    var inPack = indexed.pack.admitted[String(sessionId)] || [];
    return Promise.all(rows.map(function (row) { return admittedHere(sessionId, row.id); })).then(function (here) {
      var chosen = rows.filter(function (row, i) { return here[i] || inPack.indexOf(row.id) !== -1; })[0] || rows[0];
      return { row: chosen, hash: chosen.secret_hash };
    });
  }

  function admittedHere(sessionId, ticketId) {
    return run("admitted", "readonly", function (store) { return store.get(sessionId + ":" + ticketId); });
  }

  function markAdmitted(sessionId, ticketId, at, gate) {
    return run("admitted", "readwrite", function (store) {
      store.put({ key: sessionId + ":" + ticketId, at: at, gate: gate });
    });
  }

  function windowOpen(indexed, sessionId, now) {
    var session = indexed.pack.sessions.filter(function (s) { return s.id === sessionId; })[0];
    if (!session) return { open: false };
    var opens = new Date(session.opens), closes = new Date(session.closes);
    return { open: opens <= now && now <= closes, opens: opens, closes: closes };
  }

  /* The door's admission rule, the same as the server's admission_decide()
     (attendance/services/admission.py), on the same context (field names and defaults alike);
     admission_vectors.json holds the cases both must answer alike. What only the server knows
     (door access revoked, nonces, what an upload carries) is left to it. Returns
     {status, write}: write is "admit", "reenter", "exit", "known_walk_in" or "nothing". */
  function admissionDecide(context) {
    function given(name, otherwise) { return name in context ? context[name] : otherwise; }
    var exiting = given("action", "entry") === "exit";
    var exitsEnabled = given("exits_enabled", false);
    var previous = given("previous", "none");
    var refused = function (status) { return { status: status, write: "nothing" }; };
    if (exiting && !exitsEnabled) return refused("exit_scans_disabled");
    if (!given("token_allowed", true)) return refused("not_allowed");
    if (!given("window_open", true)) return refused("session_not_open");
    if (!given("ticket_found", true)) {
      if (given("card_found", false) && !exiting) {
        return given("known_walk_ins", true) ? { status: "admitted", write: "known_walk_in" } : refused("unknown_ticket");
      }
      return refused("unknown_ticket");
    }
    if (!given("same_event", true)) return refused("wrong_event");
    var status = given("ticket_status", "valid");
    if (status === "cancelled" || status === "waitlisted") return refused("cancelled");
    if (!given("session_allowed", true)) {
      return refused(given("allowed_same_day", false) ? "wrong_session" : "not_valid_today");
    }
    if (exiting) return previous === "admitted" ? { status: "exited", write: "exit" } : refused("not_inside");
    if (previous === "none") return { status: "admitted", write: "admit" };
    if (exitsEnabled && previous === "exited") return { status: "admitted", write: "reenter" };
    return refused("already_admitted");
  }

  /* A group admission, the same as the server's group_decide() (admission.py): the scanned
     ticket opens its group unless refused before its own status is looked at (then every member
     gets that refusal); past that, each chosen member is decided on their own ticket. Takes the
     scanned ticket's context and the chosen members' contexts; returns {status, members (each
     member's status), admitted (how many this lets in)}. */
  var OPENS_GROUP = ["already_admitted", "not_inside", "cancelled", "wrong_session", "not_valid_today"];
  var MOVES = ["admit", "reenter", "exit"];

  function groupDecide(scannedContext, memberContexts) {
    var scanned = admissionDecide(scannedContext);
    var opened = MOVES.indexOf(scanned.write) !== -1 || OPENS_GROUP.indexOf(scanned.status) !== -1;
    if (!opened) {
      var refusal = scanned.write === "known_walk_in" ? "unknown_ticket" : scanned.status;
      return { status: refusal, members: memberContexts.map(function () { return refusal; }), admitted: 0 };
    }
    var members = memberContexts.map(function (context) { return admissionDecide(context).status; });
    var admitted = members.filter(function (status) { return status === "admitted"; }).length;
    var status = "already_admitted";
    if (admitted) status = "admitted";
    else if (members.indexOf("exited") !== -1) status = "exited";
    else status = members.filter(function (s) { return s !== "already_admitted"; })[0] || "already_admitted";
    return { status: status, members: members, admitted: admitted };
  }

  /* Validate a scan with the pack through admissionDecide. Resolves to {status, row?, at?,
     gate?}; an admission is queued and remembered before it resolves. The phone scans entries
     only, of its pack's event (a ticket of another event is not in it: unknown), with a token
     that could download the pack; it knows a ticket's restricted sessions but not their dates
     (any of them counts as another session). */
  function checkScan(args) {
    return loadPack(args.eventId).then(function (indexed) {
      if (!indexed) return { status: "no_pack" };
      var now = new Date();
      var door = windowOpen(indexed, args.sessionId, now);
      // The window comes before the ticket in the rule: a closed door costs no slow hash.
      var closed = admissionDecide({ window_open: door.open });
      if (closed.status === "session_not_open") return { status: closed.status, opens: door.opens, closes: door.closes };
      return findTicket(indexed, args.text).then(function (found) {
        if (found && found.card) {
          return cardTicket(indexed, args.sessionId, found.card).then(function (held) {
            return held || { card: found.card };
          });
        }
        return found;
      }).then(function (found) {
        var base = { nonce: args.nonce, session_id: args.sessionId, gate: args.gate,
                     device_time: now.toISOString(), device_id: args.deviceId, type: "scan" };
        var reject = function (status, row) {
          var item = Object.assign({ local_status: status }, base);
          if (row) { item.ticket_id = row.id; item.ticket_hash = row.secret_hash; } else { item.text = args.text.slice(0, 64); }
          return enqueue(item).then(function () { return { status: status, row: row }; });
        };
        if (found && found.card) return knownWalkIn(indexed, args, base, found.card);
        var row = found ? found.row : null;
        var earlierHere = row ? admittedHere(args.sessionId, row.id) : Promise.resolve(null);
        return earlierHere.then(function (earlier) {
          var inPack = row && (indexed.pack.admitted[String(args.sessionId)] || []).indexOf(row.id) !== -1;
          var decision = admissionDecide({
            window_open: true,
            ticket_found: !!row,
            ticket_status: row ? row.status : "",
            session_allowed: !row || !row.sessions.length || row.sessions.indexOf(args.sessionId) !== -1,
            allowed_same_day: true,
            previous: earlier || inPack ? "admitted" : "none",
          });
          if (decision.write !== "admit") {
            return reject(decision.status, row).then(function (answer) {
              if (decision.status === "already_admitted") {
                answer.at = earlier ? earlier.at : null; answer.gate = earlier ? earlier.gate : null;
              }
              return answer;
            });
          }
          var item = Object.assign({ local_status: "admitted", ticket_id: row.id, ticket_hash: found.hash }, base);
          return enqueue(item).then(function () {
            return markAdmitted(args.sessionId, row.id, base.device_time, args.gate);
          }).then(function () { return { status: "admitted", row: row }; });
        }).then(function (answer) { return withGroup(indexed, args.sessionId, answer); });
      });
    });
  }

  // Group admission ------------------------------------------------------------------------------
  function groupRows(indexed, row) {
    if (!row || !row.group || row.group_size < 2) return [];
    return indexed.tickets.group(row.group).sort(function (a, b) { return a.id - b.id; });
  }

  // Whether each row is admitted to the session: on this device, or in the pack's download.
  function admittedRows(indexed, sessionId, rows) {
    var inPack = indexed.pack.admitted[String(sessionId)] || [];
    return Promise.all(rows.map(function (row) { return admittedHere(sessionId, row.id); })).then(function (here) {
      return rows.map(function (row, i) { return here[i] || (inPack.indexOf(row.id) !== -1 ? {} : null); });
    });
  }

  /* An answer about a ticket of a household or class carries its members (`group`), as the
     server's scan answer does, for the scanner's group panel. */
  function withGroup(indexed, sessionId, answer) {
    var rows = groupRows(indexed, answer.row);
    if (!rows.length) return answer;
    return admittedRows(indexed, sessionId, rows).then(function (admitted) {
      answer.group = rows.map(function (row, i) {
        return { ticket_id: row.id, first_name: row.first_name, gender: row.gender, age_band: row.age_band,
                 status: row.status, admitted: !!admitted[i] };
      });
      return answer;
    });
  }

  function memberContext(row, sessionId, earlier) {
    return {
      window_open: true, ticket_found: true, ticket_status: row.status, group_size: row.group_size,
      session_allowed: !row.sessions.length || row.sessions.indexOf(sessionId) !== -1,
      allowed_same_day: true, previous: earlier ? "admitted" : "none",
    };
  }

  /* Admit the chosen members of a scanned ticket's group with no network, through groupDecide:
     each admitted member is queued as a scan of their own ticket (the sync admits each once,
     whatever other devices did meanwhile), each refusal is queued to be logged. args: eventId,
     sessionId, scannedId (the scanned ticket), ticketIds (the chosen), nonces (one per chosen
     ticket), gate, deviceId. Resolves to {status, admitted, members: [{ticket_id, status, row}]}. */
  function checkGroup(args) {
    return loadPack(args.eventId).then(function (indexed) {
      if (!indexed) return { status: "no_pack", admitted: 0, members: [] };
      var now = new Date();
      var scanned = indexed.tickets.byId(args.scannedId);
      var family = groupRows(indexed, scanned);
      var rows = args.ticketIds.map(function (id) {
        return family.filter(function (row) { return row.id === id; })[0];
      });
      if (!scanned || rows.indexOf(undefined) !== -1) return { status: "unknown_ticket", admitted: 0, members: [] };
      var open = windowOpen(indexed, args.sessionId, now).open;
      return admittedRows(indexed, args.sessionId, [scanned].concat(rows)).then(function (earlier) {
        var contexts = [scanned].concat(rows).map(function (row, i) {
          return Object.assign(memberContext(row, args.sessionId, earlier[i]), { window_open: open });
        });
        var decision = groupDecide(contexts[0], contexts.slice(1));
        var deviceTime = now.toISOString();
        var members = rows.map(function (row, i) { return { ticket_id: row.id, status: decision.members[i], row: row }; });
        if (!open) return { status: decision.status, admitted: 0, members: members };
        return members.reduce(function (done, member, i) {
          var item = { type: "scan", nonce: args.nonces[i], session_id: args.sessionId, gate: args.gate,
                       device_time: deviceTime, device_id: args.deviceId, local_status: member.status,
                       ticket_id: member.row.id, ticket_hash: member.row.secret_hash };
          return done.then(function () { return enqueue(item); }).then(function () {
            if (member.status === "admitted") return markAdmitted(args.sessionId, member.row.id, deviceTime, args.gate);
            return null;
          });
        }, Promise.resolve()).then(function () {
          return { status: decision.status, admitted: decision.admitted, members: members };
        });
      });
    });
  }

  /* A card with no ticket of the event behind it: a known walk-in when the pack's door settings
     admit them. The server registers them at sync (once per person, whatever the devices). */
  function knownWalkIn(indexed, args, base, card) {
    var key = "card" + card.id;
    return admittedHere(args.sessionId, key).then(function (earlier) {
      var decision = admissionDecide({
        window_open: true, ticket_found: false, ticket_status: "", card_found: true,
        known_walk_ins: !!(indexed.pack.door && indexed.pack.door.known_walk_ins),
      });
      var person = { gender: card.gender, age_band: card.age_band };
      if (decision.write !== "known_walk_in") {
        // Logged like an unknown scan, with the card's secret cut as the server cuts it.
        var item = Object.assign({ local_status: decision.status, text: args.text.slice(0, 6) + "…" }, base);
        return enqueue(item).then(function () { return { status: decision.status, known_participant: true }; });
      }
      if (earlier) return { status: "already_admitted", row: person, at: earlier.at, gate: earlier.gate };
      var walkIn = Object.assign({}, base, { type: "known_walk_in", card_id: card.id, card_hash: card.secret_hash });
      return enqueue(walkIn).then(function () {
        return markAdmitted(args.sessionId, key, base.device_time, args.gate);
      }).then(function () { return { status: "admitted", row: person, known_walk_in: true }; });
    });
  }

  // After an online admission: remember it here so that a scan made offline later says so.
  function rememberOnlineAdmission(eventId, sessionId, text, gate) {
    return loadPack(eventId).then(function (indexed) {
      if (!indexed) return null;
      return findTicket(indexed, text).then(function (found) {
        if (found && found.card) {
          // The card's ticket, or the card itself for a known walk-in (its new ticket is not in the pack).
          return cardTicket(indexed, sessionId, found.card).then(function (held) {
            return markAdmitted(sessionId, held ? held.row.id : "card" + found.card.id, new Date().toISOString(), gate);
          });
        }
        if (found) return markAdmitted(sessionId, found.row.id, new Date().toISOString(), gate);
        return null;
      });
    }).catch(function () { return null; });
  }

  // After an online group admission: the members let in are remembered here too.
  function rememberMembers(sessionId, ticketIds, gate) {
    var at = new Date().toISOString();
    return Promise.all(ticketIds.map(function (id) { return markAdmitted(sessionId, id, at, gate); }))
      .catch(function () { return null; });
  }

  function checkWalkIn(args) {
    return loadPack(args.eventId).then(function (indexed) {
      var now = new Date();
      // Without a pack there is no window to check: count them, the server checks at sync.
      if (indexed && !windowOpen(indexed, args.sessionId, now).open) return { status: "session_not_open" };
      return enqueue({ type: "walk_in", nonce: args.nonce, session_id: args.sessionId, gate: args.gate,
                       device_time: now.toISOString(), device_id: args.deviceId, groups: args.groups })
        .then(function () { return { status: "recorded" }; });
    });
  }

  // Queue ---------------------------------------------------------------------------------------
  function enqueue(item) {
    return run("queue", "readwrite", function (store) { store.put(item); });
  }

  function pending() {
    return run("queue", "readonly", function (store) { return store.getAll(); }).then(function (items) {
      return items.sort(function (a, b) { return a.device_time < b.device_time ? -1 : 1; });
    });
  }

  function dequeue(nonces) {
    return run("queue", "readwrite", function (store) { nonces.forEach(function (n) { store.delete(n); }); });
  }

  /* The batch positions a 422 answer blames: our own check ({errors: {items: ["3"]}}) or the
     schema's ({detail: [{loc: ["body", "payload", "items", 3, ...]}]}). */
  function refusedPositions(body) {
    if (!body) return [];
    if (body.errors && body.errors.items) return body.errors.items.map(Number);
    if (!Array.isArray(body.detail)) return [];
    return body.detail.map(function (problem) {
      var at = (problem.loc || []).indexOf("items");
      return at === -1 ? NaN : Number(problem.loc[at + 1]);
    }).filter(function (n) { return !isNaN(n); });
  }

  function setAside(items) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(["queue", "refused"], "readwrite");
        items.forEach(function (item) {
          tx.objectStore("refused").put(item);
          tx.objectStore("queue").delete(item.nonce);
        });
        tx.oncomplete = function () { resolve(); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  /* Upload the queue in batches with `post(items)` (a promise of the server's JSON answer).
     An item leaves the queue only once the server answered it; a lost answer means the same
     nonces are sent again, which the server answers without recording anything twice. A batch
     refused as malformed (nothing of it was written) loses only the items blamed, which could
     never be accepted; they are set aside and the rest is sent again. */
  function sync(post) {
    var summary = { sent: 0, conflicts: 0, refused: 0 };
    function next() {
      return pending().then(function (items) {
        if (!items.length) return summary;
        var batch = items.slice(0, BATCH_SIZE);
        return post(batch).then(function (answer) {
          summary.sent += answer.results.length;
          answer.results.forEach(function (r) { if (r.conflict) summary.conflicts += 1; });
          return dequeue(answer.results.map(function (r) { return r.nonce; }));
        }, function (error) {
          var blamed = error.status === 422 ? refusedPositions(error.body) : [];
          blamed = batch.filter(function (item, position) { return blamed.indexOf(position) !== -1; });
          if (!blamed.length) throw error;
          summary.refused += blamed.length;
          return setAside(blamed);
        }).then(next);
      });
    }
    return next();
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { admissionDecide: admissionDecide, groupDecide: groupDecide };
    return;
  }
  root.MultaqaOffline = {
    savePack: savePack, loadPack: loadPack, checkScan: checkScan, checkWalkIn: checkWalkIn,
    rememberOnlineAdmission: rememberOnlineAdmission, pending: pending, enqueue: enqueue, sync: sync,
    checkGroup: checkGroup, rememberMembers: rememberMembers,
    codeHash: pbkdf2, admissionDecide: admissionDecide,
  };
})(typeof window !== "undefined" ? window : this);
