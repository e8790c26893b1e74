// 4-5 for the web app: once the server has ended an idle session, reload so the screen returns
// to the login page instead of showing personal data to whoever walks up to it.
(function () {
  const seconds = Number(document.body.dataset.idleSeconds || 0);
  if (!seconds) return;
  window.setTimeout(function () { window.location.reload(); }, (seconds + 2) * 1000);
})();
