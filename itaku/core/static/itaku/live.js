// Keeps an element current: every data-live-seconds it asks the server for the same page,
// marked passive so the refresh does not count as activity (itaku/core/sessions.py), and
// swaps in the element of the same id. When the session has ended, the page reloads and
// shows the login screen.
(function () {
  document.querySelectorAll("[data-live-seconds]").forEach(function (element) {
    const seconds = Number(element.dataset.liveSeconds);
    if (!element.id || !seconds) return;
    window.setInterval(function () {
      fetch(window.location.href, { headers: { "X-Itaku-Passive": "1" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok || response.redirected) { window.location.reload(); return null; }
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          const fresh = new DOMParser().parseFromString(html, "text/html").getElementById(element.id);
          if (fresh) element.innerHTML = fresh.innerHTML;
        })
        .catch(function () { /* the next round tries again */ });
    }, seconds * 1000);
  });
})();
