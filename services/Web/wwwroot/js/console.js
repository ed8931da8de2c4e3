// Assembly console: roll-call and show-of-hands entries go out with fetch; when the connection is down they wait in
// IndexedDB (each with its own client request id) and go out, in order, when it returns. A vote resent after a lost
// answer carries the same request id, so consultation counts it once. Without this script the forms still work.
(function () {
  'use strict';
  var lists = document.querySelectorAll('[data-queue]');
  if (!lists.length || !window.fetch || !window.indexedDB) { return; }
  var note = document.getElementById('offline-note');
  var DB = 'watershed-console', STORE = 'entries';

  function open() {
    return new Promise(function (resolve, reject) {
      var r = indexedDB.open(DB, 1);
      r.onupgradeneeded = function () { r.result.createObjectStore(STORE, { keyPath: 'requestId' }); };
      r.onsuccess = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
    });
  }
  function tx(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), result;
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        result = work(t.objectStore(STORE));
      });
    });
  }
  function all() {
    return tx('readonly', function (s) { var out = []; s.openCursor().onsuccess = function (e) { var c = e.target.result; if (c) { out.push(c.value); c.continue(); } }; return out; });
  }
  function put(entry) { return tx('readwrite', function (s) { s.put(entry); }); }
  function remove(id) { return tx('readwrite', function (s) { s.delete(id); }); }
  function newId() { return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + String(Math.random()).slice(2)).replace(/-/g, ''); }
  function field(entry, name) { var f = entry.fields.filter(function (p) { return p[0] === name; })[0]; return f ? f[1] : ''; }

  // The row an entry belongs to, on this page (an entry queued on another page of the console goes out all the same).
  function rowOf(entry) {
    var list = document.querySelector('[data-queue="' + entry.kind + '"]');
    var li = list && list.querySelector('li[data-key="' + entry.key + '"]');
    return li ? { list: list, li: li } : null;
  }
  function status(row, kind, text) {
    var s = row.li.querySelector('.entry-status');
    s.className = 'entry-status ' + kind;
    s.textContent = text;
  }

  // Roll call: the member's new state, the form turned round, and the quorum meter.
  function showAttendance(row, entry, q) {
    var present = field(entry, 'present') === 'true', d = row.list.dataset;
    var state = row.li.querySelector('[data-state]');
    state.textContent = present ? d.present : d.absent;
    state.className = present ? 'state-present' : 'state-absent';
    var form = row.li.querySelector('form');
    form.querySelector('input[name="present"]').value = present ? 'false' : 'true';
    var button = form.querySelector('button');
    button.textContent = present ? d.markAbsent : d.markPresent;
    button.setAttribute('aria-label', button.textContent + ': ' + row.li.querySelector('.name').firstChild.textContent);
    if (!q) { return; }
    var quorum = document.getElementById('quorum');
    var count = document.querySelector('[data-present-count]');
    if (count) { count.textContent = q.presentCount; }
    var meter = document.getElementById('quorum-meter');
    meter.className = 'meter' + (q.reached ? ' ok' : '');
    meter.firstElementChild.style.width = (q.onRoll ? Math.min(100, Math.floor(100 * q.presentCount / q.onRoll)) : 0) + '%';
    document.getElementById('quorum-state').firstElementChild.textContent = q.reached ? quorum.dataset.reached : quorum.dataset.missing.replace('{0}', q.required - q.presentCount);
  }
  // Show of hands: the member has voted (the form goes), and the counts as consultation now has them.
  function showVote(row, b) {
    var form = row.li.querySelector('form[data-queued]');
    if (form) { form.hidden = true; }
    if (!b) { return; }
    var state = row.li.querySelector('[data-state]');
    state.textContent = b.state;
    state.className = 'state-present';
    document.getElementById('votes-cast').textContent = b.text;
    if (b.tally) {
      ['yes', 'no', 'abstain', 'block'].forEach(function (k) { var dd = document.getElementById(k); if (dd) { dd.textContent = b.tally[k]; } });
    }
  }

  function show(entry, kind, answer) {
    var row = rowOf(entry);
    if (!row) { return; }
    var d = row.list.dataset;
    if (kind === 'refused') {
      status(row, 'refused', d.refused + ': ' + answer.message);
      var form = row.li.querySelector('form[data-queued]');
      if (form) { form.hidden = false; }
      return;
    }
    status(row, kind, kind === 'saved' ? d.saved : d.pending);
    if (entry.kind === 'attendance') { showAttendance(row, entry, answer); } else { showVote(row, answer); }
  }

  // Sends one entry; true when the service decided (accepted or refused), false when it must wait.
  function send(entry) {
    var body = new URLSearchParams();
    entry.fields.forEach(function (p) { if (p[0] !== 'requestId') { body.append(p[0], p[1]); } });
    body.set('requestId', entry.requestId);
    return fetch(entry.url, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.status === 200) { return r.json().then(function (a) { show(entry, 'saved', a); return true; }); }
        if (r.status === 422) { return r.json().then(function (e) { show(entry, 'refused', e); return true; }); }
        return false;
      }, function () { return false; });
  }

  var flushing = false, again = false;
  function flush() {
    // One pass at a time, in order; an entry made during a pass starts another pass after it.
    if (flushing) { again = true; return Promise.resolve(); }
    flushing = true;
    again = false;
    return all().then(function (entries) {
      entries.sort(function (a, b) { return a.at - b.at; });
      var chain = Promise.resolve(true);
      entries.forEach(function (e) {
        chain = chain.then(function (ok) {
          if (!ok) { show(e, 'pending', null); return false; }
          return send(e).then(function (done) { return done ? remove(e.requestId).then(function () { return true; }) : (show(e, 'pending', null), false); });
        });
      });
      return chain;
    }).then(function (ok) { if (note) { note.hidden = ok !== false && navigator.onLine; } }, function () {}).then(function () { flushing = false; if (again && navigator.onLine) { flush(); } });
  }

  Array.prototype.forEach.call(lists, function (list) {
    list.addEventListener('submit', function (ev) {
      var form = ev.target;
      if (!form.hasAttribute('data-queued')) { return; }
      ev.preventDefault();
      var fields = [];
      new FormData(form).forEach(function (v, k) { fields.push([k, String(v)]); });
      if (ev.submitter && ev.submitter.name) { fields.push([ev.submitter.name, ev.submitter.value]); }
      var entry = { requestId: newId(), at: Date.now(), url: form.action, kind: list.dataset.queue, key: form.closest('li').dataset.key, fields: fields };
      show(entry, 'pending', null);
      put(entry).then(flush);
    });
  });

  // Find a member by name or DNI.
  var find = document.getElementById('find');
  if (find) {
    find.addEventListener('input', function () {
      var q = find.value.trim().toLowerCase();
      Array.prototype.forEach.call(document.querySelectorAll('[data-queue] > li'), function (li) {
        li.hidden = q !== '' && li.dataset.name.indexOf(q) < 0 && (li.dataset.dni || '').indexOf(q) !== 0;
      });
    });
  }

  window.addEventListener('online', flush);
  window.addEventListener('offline', function () { if (note) { note.hidden = false; } });
  flush();
})();
