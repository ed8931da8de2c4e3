// The projector view reloads itself while its ballot is open, every data-seconds seconds, until paused.
(function () {
  'use strict';
  var box = document.getElementById('refresh');
  if (!box) { return; }
  var seconds = parseInt(box.dataset.seconds, 10) || 10;
  var timer = null;
  var button = document.createElement('button');
  button.type = 'button';
  function start() { timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000); button.textContent = box.dataset.pause; }
  function stop() { window.clearTimeout(timer); timer = null; button.textContent = box.dataset.resume; }
  button.addEventListener('click', function () { if (timer) { stop(); } else { start(); } });
  box.appendChild(document.createTextNode(' '));
  box.appendChild(button);
  start();
})();
