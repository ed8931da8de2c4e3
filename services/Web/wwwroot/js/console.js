// Assembly console: roll-call entries go out with fetch; when the connection is down they wait in IndexedDB
// (with a client request id) and go out, in order, when it returns. Without this script the forms still work.
(function () {
  'use strict';
  var roll = document.getElementById('roll');
  if (!roll || !window.fetch || !window.indexedDB) { return; }
  var note = document.getElementById('offline-note');
  var quorum = document.getElementById('quorum');
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
  function newId() { return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()); }

  function rowOf(memberId) {
    var input = roll.querySelector('input[name="memberId"][value="' + memberId + '"]');
    return input ? input.closest('li') : null;
  }
  function show(entry, status, text) {
    var li = rowOf(entry.memberId);
    if (!li) { return; }
    var s = li.querySelector('.entry-status');
    s.className = 'entry-status ' + status;
    s.textContent = text;
    if (status !== 'refused') {
      var state = li.querySelector('[data-state]');
      state.textContent = entry.present ? roll.dataset.present : roll.dataset.absent;
      state.className = entry.present ? 'state-present' : 'state-absent';
      var form = li.querySelector('form');
      form.querySelector('input[name="present"]').value = entry.present ? 'false' : 'true';
      var button = form.querySelector('button');
      button.textContent = entry.present ? roll.dataset.markAbsent : roll.dataset.markPresent;
      button.setAttribute('aria-label', button.textContent + ': ' + li.querySelector('.name').firstChild.textContent);
    }
  }
  function showQuorum(q) {
    var count = document.querySelector('[data-present-count]');
    if (count) { count.textContent = q.presentCount; }
    var meter = document.getElementById('quorum-meter');
    meter.className = 'meter' + (q.reached ? ' ok' : '');
    meter.firstElementChild.style.width = (q.onRoll ? Math.min(100, Math.floor(100 * q.presentCount / q.onRoll)) : 0) + '%';
    var state = document.getElementById('quorum-state');
    state.firstElementChild.textContent = q.reached ? quorum.dataset.reached : quorum.dataset.missing.replace('{0}', q.required - q.presentCount);
  }

  // Sends one entry; true when the service decided (accepted or refused), false when it must wait.
  function send(entry) {
    var body = new URLSearchParams();
    body.set('memberId', entry.memberId);
    body.set('present', entry.present ? 'true' : 'false');
    body.set('requestId', entry.requestId);
    body.set('__RequestVerificationToken', entry.token);
    return fetch(entry.url, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) {
        if (r.status === 200) { return r.json().then(function (q) { showQuorum(q); show(entry, 'saved', roll.dataset.saved); return true; }); }
        if (r.status === 422) { return r.json().then(function (e) { show(entry, 'refused', roll.dataset.refused + ': ' + e.message); return true; }); }
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
          if (!ok) { show(e, 'pending', roll.dataset.pending); return false; }
          return send(e).then(function (done) { return done ? remove(e.requestId).then(function () { return true; }) : (show(e, 'pending', roll.dataset.pending), false); });
        });
      });
      return chain;
    }).then(function (ok) { note.hidden = ok !== false && navigator.onLine; }, function () {}).then(function () { flushing = false; if (again && navigator.onLine) { flush(); } });
  }

  roll.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!form.classList.contains('attendance')) { return; }
    ev.preventDefault();
    var entry = {
      requestId: newId(), at: Date.now(), url: form.action,
      memberId: form.querySelector('input[name="memberId"]').value,
      present: form.querySelector('input[name="present"]').value === 'true',
      token: form.querySelector('input[name="__RequestVerificationToken"]').value
    };
    show(entry, 'pending', roll.dataset.pending);
    put(entry).then(flush);
  });

  var find = document.getElementById('find');
  find.addEventListener('input', function () {
    var q = find.value.trim().toLowerCase();
    Array.prototype.forEach.call(roll.children, function (li) { li.hidden = q !== '' && li.dataset.name.indexOf(q) < 0; });
  });

  window.addEventListener('online', flush);
  window.addEventListener('offline', function () { note.hidden = false; });
  flush();
})();
