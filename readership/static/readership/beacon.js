// Counts one view of the story this page shows (no cookie, nothing about the
// reader), and replaces the "Most read" list with the current one: the page
// itself may have come from a cache minutes old.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var story = script.getAttribute("data-story");
  var beacon = script.getAttribute("data-beacon");
  if (story && beacon && navigator.sendBeacon) {
    var body = new URLSearchParams();
    body.set("story", story);
    navigator.sendBeacon(beacon, body);
  }
  var panel = document.querySelector("[data-most-read]");
  if (panel && window.fetch) {
    fetch(panel.getAttribute("data-most-read"), { credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        var list = panel.querySelector(".most-read__list");
        if (html && list && html.trim().indexOf("<ol") === 0) {
          list.outerHTML = html;
        }
      })
      .catch(function () {});
  }
})();
