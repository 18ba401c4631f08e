// "Edit this page" for signed-in staff on a public page that is the same for everyone.
// Only a browser holding the admin's hint cookie asks; the uncached endpoint decides.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || document.cookie.split("; ").indexOf("tovani_staff=1") === -1) {
    return;
  }
  var endpoint = script.getAttribute("data-endpoint");
  var url = endpoint + "?path=" + encodeURIComponent(window.location.pathname);
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (answer) {
      if (!answer || !answer.edit_url) {
        return;
      }
      var bar = document.createElement("p");
      bar.className = "staff-edit-bar";
      var link = document.createElement("a");
      link.className = "staff-edit-link";
      link.href = answer.edit_url;
      link.textContent = answer.label;
      link.lang = "en"; // the admin speaks English, on Spanish pages too
      bar.appendChild(link);
      var main = document.getElementById("main");
      if (main) {
        main.insertBefore(bar, main.firstChild);
      }
    })
    .catch(function () {
      // No link is the safe outcome of a failed question.
    });
})();
