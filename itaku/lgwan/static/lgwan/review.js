// The review's "choose all" box: ticks or unticks every open finding of the day at once. Shown
// only where this script runs; without it each finding is ticked by itself.
(function () {
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    const name = all.getAttribute("data-select-all");
    const boxes = function () {
      return Array.prototype.filter.call(all.form.elements, function (field) {
        return field.type === "checkbox" && field.name === name;
      });
    };
    all.hidden = false;
    all.addEventListener("change", function () {
      boxes().forEach(function (box) { box.checked = all.checked; });
    });
    all.form.addEventListener("change", function (event) {
      if (event.target.name !== name) return;
      all.checked = boxes().every(function (box) { return box.checked; });
    });
  });
})();
