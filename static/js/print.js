// A print button: <button data-print>. Progressive enhancement: the browser's own print works too.
(function () {
  "use strict";
  var button = document.querySelector("[data-print]");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
