// Keeps what a person types in a form on this device (sessionStorage: this tab only, gone when it
// closes) until the form is sent, so an idle logout (4-5, idle.js) and the login that follows do
// not lose it. Passwords, files and hidden fields (the CSRF token) are never kept. Logging out on
// purpose forgets everything kept.
(function () {
  const PREFIX = "itaku-form:";
  const SKIP = ["password", "file", "hidden", "submit", "button", "reset", "image"];

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIP.includes(field.type) && !field.disabled;
    });
  }

  function keyOf(form, index) {
    const id = form.id || form.getAttribute("action") || String(index);
    return PREFIX + window.location.pathname + "#" + id + "#" + index;
  }

  function save(form, key) {
    const values = {};
    keptFields(form).forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) (values[field.name] = values[field.name] || []).push(field.value);
      } else if (field.multiple) {
        values[field.name] = Array.prototype.filter.call(field.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[field.name] = [field.value];
      }
    });
    try { window.sessionStorage.setItem(key, JSON.stringify(values)); } catch (e) { /* full or off */ }
  }

  function restore(form, key) {
    let values = null;
    try { values = JSON.parse(window.sessionStorage.getItem(key) || "null"); } catch (e) { return; }
    if (!values) return;
    keptFields(form).forEach(function (field) {
      if (!(field.name in values)) {
        if (field.type === "checkbox") field.checked = false;
        return;
      }
      const kept = values[field.name];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = kept.includes(field.value);
      } else if (field.multiple) {
        Array.prototype.forEach.call(field.options, function (o) { o.selected = kept.includes(o.value); });
      } else {
        field.value = kept[0];
      }
    });
  }

  function forgetAll() {
    try {
      Object.keys(window.sessionStorage).forEach(function (key) {
        if (key.indexOf(PREFIX) === 0) window.sessionStorage.removeItem(key);
      });
    } catch (e) { /* nothing kept */ }
  }

  document.querySelectorAll("form").forEach(function (form, index) {
    if (form.hasAttribute("data-forget-forms")) {
      form.addEventListener("submit", forgetAll);
      return;
    }
    // Only forms that record something; a search or filter form shows what its address says.
    if (form.method.toLowerCase() !== "post") return;
    if (form.hasAttribute("data-no-keep") || form.querySelector("input[type=password]")) return;
    if (!keptFields(form).length) return;
    const key = keyOf(form, index);
    restore(form, key);
    form.addEventListener("input", function () { save(form, key); });
    form.addEventListener("change", function () { save(form, key); });
    form.addEventListener("submit", function () {
      try { window.sessionStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    });
  });
})();
