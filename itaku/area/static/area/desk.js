// The entry desk, enhanced: after each record the badge field is ready for the next person,
// and a card reader that types the badge and Enter records an entry without a mouse.
(function () {
  "use strict";
  var input = document.querySelector(".desk-person");
  if (!input) { return; }
  if (document.getElementById("desk-result")) {
    input.value = "";
  }
  input.focus();
  input.select();
})();
