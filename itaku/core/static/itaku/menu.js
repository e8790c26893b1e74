// The grouped menu (core/templates/menu.html): each group is a <details> disclosure, which
// works without this file. With it, one group is open at a time, a click outside the open group
// or Escape closes it (Escape puts the focus back on the group's name), and tabbing out of a
// group closes it. Each group's name says whether it is open (aria-expanded), kept in step with
// the disclosure however it was opened or closed.
(function () {
  const nav = document.querySelector(".site-nav");
  if (!nav) return;
  const groups = Array.from(nav.querySelectorAll(".menu-group details"));

  function name(group) {
    return group.querySelector("summary");
  }

  function say(group) {
    name(group).setAttribute("aria-expanded", group.open ? "true" : "false");
  }

  groups.forEach(function (group) {
    say(group);
    group.addEventListener("toggle", function () {
      say(group);
      if (!group.open) return;
      groups.forEach(function (other) {
        if (other !== group) other.open = false;
      });
    });
  });

  document.addEventListener("click", function (event) {
    groups.forEach(function (group) {
      if (group.open && !group.contains(event.target)) group.open = false;
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    groups.forEach(function (group) {
      if (!group.open) return;
      const focused = group.contains(document.activeElement);
      group.open = false;
      if (focused) name(group).focus();
    });
  });

  nav.addEventListener("focusout", function (event) {
    const next = event.relatedTarget;
    if (!next) return; // a click on nothing focusable: the click above decides
    groups.forEach(function (group) {
      if (group.open && !group.contains(next)) group.open = false;
    });
  });
})();
