// Progressive enhancement for the proposal form: fill the map point from the phone's location.
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  var lat = document.getElementById("latitude");
  var lon = document.getElementById("longitude");
  if (!button || !lat || !lon || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        button.disabled = false;
      },
      function () { button.disabled = false; },
      { enableHighAccuracy: true, timeout: 15000 }
    );
  });
})();
