// The add form of a reference: suggests the citekey from the first author and the year as
// they are typed, asking the server (which knows the keys already taken). A key the editor
// typed is never replaced; one this script filled in follows the authors and the year.
"use strict";
(function () {
  function start() {
    var citekey = document.getElementById("id_citekey");
    var authors = document.getElementById("id_authors");
    var year = document.getElementById("id_year");
    if (!citekey || !authors || !year || !citekey.dataset.suggestUrl) {
      return;
    }
    var suggested = "";
    var timer = null;
    var hint = document.createElement("div");
    hint.className = "help citekey-suggestion";
    hint.setAttribute("aria-live", "polite");
    // Under the field's own help text, where the eye goes after the key.
    var help = document.getElementById("id_citekey_helptext");
    var anchor = help || citekey;
    anchor.parentNode.insertBefore(hint, anchor.nextSibling);

    function ask() {
      var query = new URLSearchParams({ authors: authors.value, year: year.value });
      fetch(citekey.dataset.suggestUrl + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { citekey: "" };
        })
        .then(function (answer) {
          if (!answer.citekey) {
            return;
          }
          if (citekey.value === "" || citekey.value === suggested) {
            citekey.value = answer.citekey;
          }
          suggested = answer.citekey;
          hint.textContent = "Suggested from the first author and the year: " + answer.citekey;
        })
        .catch(function () {});
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 250);
    }

    authors.addEventListener("input", later);
    year.addEventListener("input", later);
    if (authors.value && year.value && citekey.value === "") {
      ask();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
