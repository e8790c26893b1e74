// 4-5 for the web app: a session ends after a while without activity. A minute before (half the
// time when the limit is shorter), a warning offers to stay; its button posts in the background so
// the page and what is typed in it stay. Once the server has ended the session, the page goes to
// the login screen, which says why; forms.js has kept what was typed on this device.
(function () {
  const body = document.body;
  const seconds = Number(body.dataset.idleSeconds || 0);
  if (!seconds) return;
  const warning = document.getElementById("idle-warning");
  const stay = document.getElementById("idle-stay");
  const lead = Math.min(60, seconds / 2);
  let warnTimer = 0;
  let endTimer = 0;

  function end() {
    document.dispatchEvent(new CustomEvent("itaku:idle-logout"));
    const back = window.location.pathname + window.location.search;
    window.location.assign(body.dataset.idleLogin + "&next=" + encodeURIComponent(back));
  }

  function warn() {
    if (!warning) return;
    warning.hidden = false;
    const button = warning.querySelector("button");
    if (button) button.focus();
  }

  function start() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(warn, (seconds - lead) * 1000);
    endTimer = window.setTimeout(end, (seconds + 2) * 1000);
  }

  if (stay) {
    stay.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(stay.action, { method: "POST", body: new FormData(stay), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok || response.redirected) { end(); return; }
          warning.hidden = true;
          start();
        })
        .catch(function () { /* the timers still run; the next try or the logout follows */ });
    });
  }
  start();
})();
